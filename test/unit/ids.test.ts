import { describe, expect, it } from 'vitest';
import { IdSource } from '../../main/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('IdSource', () => {
  it('makes valid UUIDv7 ids in strictly increasing order, many within one millisecond', () => {
    const source = new IdSource();
    const ids = Array.from({ length: 20_000 }, () => source.next());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `id ${i}`).toBe(true);
    // Ids share a millisecond (their first 12 hex digits) and still count up.
    const millis = new Set(ids.map((id) => id.slice(0, 13)));
    expect(millis.size).toBeLessThan(ids.length / 10);
  });

  it('carries the time the id was made', () => {
    const before = Date.now();
    const id = new IdSource().next();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});
