/** Import, the database connection and settings. */
import { channel, only, ADMINISTRATOR, empty } from './spec';
import { z } from 'zod';
import { id } from '../schemas';
import {
  dateFormatsSchema,
  importMappingSchema,
  IMPORT_PROBLEM_PAGE,
  IMPORT_PROBLEM_PAGE_MAX,
  type ImportCheck,
  type ImportFileChoice,
  type ImportOutcome,
  type ImportProblemPage,
} from '../import';
import type { Settings } from '../types';

export const adminChannels = {
  // Import answers counts, line numbers, field keys and reasons, never a cell's value, except in
  // import.check's preview (the file's first valid rows, projected by the importer's role as
  // accounts.get projects an account); the account numbers import.run answers are projected too.
  'import.chooseFile': channel<ImportFileChoice | null>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.check': channel<ImportCheck>()({
    input: z
      .object({
        token: id,
        mapping: importMappingSchema.optional(),
        dateFormats: dateFormatsSchema.optional(),
        jobId: id.optional(),
      })
      .strict(),
    gate: 'session',
    readsCustomerData: true,
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.problems': channel<ImportProblemPage>()({
    input: z
      .object({
        token: id,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(IMPORT_PROBLEM_PAGE_MAX).default(IMPORT_PROBLEM_PAGE),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.run': channel<ImportOutcome>()({
    input: z
      .object({
        token: id,
        accept: z.literal(true, 'Accept the valid rows to import them.'),
        jobId: id.optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'settings.get': channel<Settings>()({ input: empty, gate: 'session' }),
  'settings.update': channel<Settings>()({
    input: z
      .object({
        idleLockMinutes: z
          .number()
          .int('Whole minutes.')
          .min(1, 'At least 1 minute.')
          .max(120, 'At most 120 minutes.')
          .optional(),
        accessLogRetentionDays: z
          .number()
          .int('Whole days.')
          .min(30, 'At least 30 days.')
          .max(3650, 'At most 10 years.')
          .optional(),
        replicaLeaseHours: z
          .number()
          .int('Whole hours.')
          .min(1, 'At least 1 hour.')
          .max(720, 'At most 720 hours (30 days).')
          .optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change settings'),
  }),
} as const;
