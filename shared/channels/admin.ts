/** Import, the database connection and settings. */
import { channel, only, ADMINISTRATOR, empty } from './spec';
import { z } from 'zod';
import { id } from '../schemas';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from '../rules';
import {
  importMappingSchema,
  IMPORT_PROBLEM_PAGE,
  IMPORT_PROBLEM_PAGE_MAX,
  type ImportCheck,
  type ImportFileChoice,
  type ImportOutcome,
  type ImportProblemPage,
} from '../import';
import type { ConnectionView, Settings } from '../types';

// The connection is kept in a file on the workstation: like everything written to disk, no card number.
const noCardNumber = (v: string) => !containsCardNumber(v);

const connectionInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('sqlite') }).strict(),
  z
    .object({
      mode: z.literal('pg'),
      host: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'A host name or IP address.')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      port: z
        .number()
        .int()
        .min(1, 'A port from 1 to 65535.')
        .max(65535, 'A port from 1 to 65535.'),
      database: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.-]{1,63}$/, 'A database name (letters, digits, _ . -).')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      user: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.@-]{1,63}$/, 'A user name (letters, digits, _ . @ -).')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      tls: z.enum(['disable', 'require', 'verify-full']),
      password: z.string().max(1000).optional(),
    })
    .strict(),
]);

export const adminChannels = {
  // Import answers counts, line numbers, field keys and reasons, never a cell's value; the
  // account numbers import.run answers are projected by the importer's access to them.
  'import.chooseFile': channel<ImportFileChoice | null>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.check': channel<ImportCheck>()({
    input: z
      .object({ token: id, mapping: importMappingSchema.optional(), jobId: id.optional() })
      .strict(),
    gate: 'session',
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
  'connection.get': channel<ConnectionView>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'see the database connection'),
  }),
  'connection.test': channel<{ ok: boolean; message: string }>()({
    input: connectionInput,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'test a database connection'),
  }),
  'connection.save': channel<ConnectionView>()({
    input: connectionInput,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change the database connection'),
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
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change settings'),
  }),
} as const;
