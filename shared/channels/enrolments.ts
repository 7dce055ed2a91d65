/** Workstation enrolment with the team server (issue 15): administrators only. */
import { z } from 'zod';
import { id } from '../schemas';
import { channel, only, ADMINISTRATOR, empty } from './spec';

export interface EnrolmentCode {
  id: string;
  /** Shown once: only its hash is kept. */
  code: string;
  expiresAt: string;
}

export interface EnrolmentView {
  id: string;
  label: string;
  issuedAt: string;
  expiresAt: string;
  state: 'waiting' | 'expired' | 'enrolled' | 'revoked';
  usedAt: string | null;
  certFingerprint: string | null;
  enrolledFrom: string | null;
  revokedAt: string | null;
}

const manage = only(ADMINISTRATOR, 'enrol workstations');

export const enrolmentChannels = {
  'enrolments.issue': channel<EnrolmentCode>()({
    input: z.object({ label: z.string().trim().min(1).max(100) }).strict(),
    gate: 'session',
    roles: manage,
  }),
  'enrolments.list': channel<EnrolmentView[]>()({ input: empty, gate: 'session', roles: manage }),
  'enrolments.revoke': channel<EnrolmentView>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    roles: manage,
  }),
};
