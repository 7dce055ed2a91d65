/** Staff administration, privileged role grants and the access matrix. */
import { channel, only, ADMINISTRATOR, empty } from './spec';
import { z } from 'zod';
import { displayName, id, newPassword, roleInput, safeText, username } from '../schemas';
import { PRIVILEGED_ROLES } from '../four-eyes';
import { fieldKey } from '../disclosure-schemas';
import { ACCESS_LEVELS } from '../visibility';
import type { FieldAccessChange, RoleGrantView, StaffSummary, VisibilityMatrix } from '../types';

export const staffChannels = {
  'staff.list': channel<StaffSummary[]>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.create': channel<StaffSummary>()({
    input: z
      .object({ username, displayName, role: roleInput, temporaryPassword: newPassword })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.update': channel<StaffSummary>()({
    input: z
      .object({
        id,
        version: z.number().int().min(1),
        displayName: displayName.optional(),
        role: roleInput.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.resetPassword': channel<StaffSummary>()({
    input: z.object({ id, temporaryPassword: newPassword }).strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.grants': channel<RoleGrantView[]>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see role grants'),
  }),
  'staff.decideGrant': channel<RoleGrantView>()({
    input: z
      .object({
        id,
        decision: z.enum(['approved', 'rejected']),
        note: safeText(1000).optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'decide on role grants'),
  }),
  'visibility.matrix': channel<VisibilityMatrix>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see the access matrix'),
  }),
  'visibility.update': channel<VisibilityMatrix>()({
    input: z
      .object({
        changes: z
          .array(
            z.object({
              role: roleInput,
              field: fieldKey,
              access: z.enum(ACCESS_LEVELS),
            }),
          )
          .min(1, 'Change at least one cell.')
          .max(500),
        reason: safeText(1000).refine((v) => v.length >= 10, 'Say why, in at least 10 characters.'),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change the access matrix'),
  }),
  'visibility.changes': channel<FieldAccessChange[]>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see matrix changes'),
  }),
} as const;
