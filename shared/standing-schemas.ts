import { z } from 'zod';
import { STANDINGS } from './catalogue';
import { STANDING_REASONS } from './standing';
import { id, safeText } from './schemas';

export const transitionInput = z.object({
  to: z.enum(STANDINGS, { error: 'Choose the new standing.' }),
  reason: z.enum(STANDING_REASONS, { error: 'Choose a reason.' }),
  note: safeText(1000).optional(),
  balanceCents: z
    .number({ error: 'Enter the balance owed.' })
    .int('Whole cents.')
    .min(0, 'A balance cannot be negative.')
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
  daysPastDue: z.number().int('Whole days.').min(0, 'Cannot be negative.').max(100_000).optional(),
});

/** Many accounts at once: named ones, or all accounts of a standing past a number of days. */
export const bulkSelection = z.union([
  z
    .object({ accountIds: z.array(id).min(1, 'Select at least one account.').max(100_000) })
    .strict(),
  z
    .object({
      standing: z.enum(STANDINGS),
      minDaysPastDue: z.number().int().min(0).max(100_000).default(0),
    })
    .strict(),
]);

export const batchFilters = z
  .object({
    agencyId: id,
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'A three-letter currency code.')
      .default('USD'),
    minBalanceCents: z.number().int().min(0).optional(),
    minDaysPastDue: z.number().int().min(0).max(100_000).optional(),
    region: safeText(100).optional(),
  })
  .strict();
