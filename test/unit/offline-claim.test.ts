/** The time of making a replayed offline change carries (main/services/offline-claim.ts). */
import { describe, expect, it } from 'vitest';
import { madeOfflineAt, withMadeOfflineAt } from '../../main/services/offline-claim';

const receipt = new Date('2026-03-01T12:00:00.000Z');

describe('the time of making of an offline change', () => {
  it('is there only inside the replayed call, through its awaits', async () => {
    expect(madeOfflineAt()).toBeUndefined();
    const seen = await withMadeOfflineAt('2026-03-01T09:30:00.000Z', receipt, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return madeOfflineAt();
    });
    expect(seen).toBe('2026-03-01T09:30:00.000Z');
    expect(madeOfflineAt()).toBeUndefined();
    expect(withMadeOfflineAt(null, receipt, () => madeOfflineAt())).toBeUndefined();
  });

  it('is never after the receipt: a workstation clock ahead is taken as the receipt', () => {
    const claimed = withMadeOfflineAt('2026-03-02T00:00:00Z', receipt, () => madeOfflineAt());
    expect(claimed).toBe(receipt.toISOString());
  });

  it('keeps two replays apart when they overlap', async () => {
    const one = withMadeOfflineAt('2026-03-01T08:00:00.000Z', receipt, async () => {
      await new Promise((r) => setTimeout(r, 10));
      return madeOfflineAt();
    });
    const two = withMadeOfflineAt('2026-03-01T09:00:00.000Z', receipt, async () => madeOfflineAt());
    expect(await Promise.all([one, two])).toEqual([
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
  });

  it('refuses what is not a time', () => {
    expect(() => withMadeOfflineAt('yesterday', receipt, () => 1)).toThrow(/not a date/);
  });
});
