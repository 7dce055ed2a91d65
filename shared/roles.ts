export const ROLES = [
  'support_agent',
  'billing_specialist',
  'collections_agent',
  'fraud_analyst',
  'compliance_officer',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  support_agent: 'Support agent',
  billing_specialist: 'Billing specialist',
  collections_agent: 'Collections agent',
  fraud_analyst: 'Fraud analyst',
  compliance_officer: 'Compliance officer',
  administrator: 'Administrator',
};
