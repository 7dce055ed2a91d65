import type { FieldKey } from '../../../shared/catalogue';
import {
  INSTRUMENT_LABELS,
  LEGAL_BASIS,
  type ExportFormat,
  type LoggedPurpose,
  type Purpose,
} from '../../../shared/disclosure';
import type { RequestRow } from '../../db/stores/disclosures-requests';
import type { LegalInstrument } from '../../policy/disclosure-gate';

/** What is asked to be disclosed: to whom, why, which accounts and fields, in what file. */
export interface DisclosureInput {
  recipientId: string;
  purpose: Purpose;
  accountIds: readonly string[];
  allAccounts: boolean;
  fields: readonly FieldKey[];
  format: ExportFormat;
  fileName?: string | undefined;
  legal?: LegalInstrument | null | undefined;
  justification?: string | null | undefined;
}

/** A stored request's disclosure, as it was asked. */
export function inputOf(req: RequestRow): DisclosureInput {
  const ids = JSON.parse(req.account_ids) as string[];
  return {
    recipientId: req.recipient_id,
    purpose: req.purpose,
    accountIds: ids[0] === '*' ? [] : ids,
    allAccounts: ids[0] === '*',
    fields: JSON.parse(req.fields) as FieldKey[],
    format: req.format,
    legal: req.legal ? (JSON.parse(req.legal) as LegalInstrument) : null,
    justification: req.justification,
  };
}

/** The legal basis a record states: the purpose's, with the instrument or the justification. */
export function legalBasis(
  purpose: LoggedPurpose,
  legal: LegalInstrument | null,
  justification: string | null,
): string {
  let text = LEGAL_BASIS[purpose];
  if (purpose === 'legal_process' && legal) {
    text += ` ${INSTRUMENT_LABELS[legal.instrumentType]} ${legal.reference}, issued by ${legal.authority} on ${legal.date}.`;
  }
  if (purpose === 'exigent_circumstances' && justification)
    text += ` Justification: ${justification}`;
  return text;
}
