import { describe, expect, it } from 'vitest';
import { settledAll } from '../../main/settled';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms),
  );

describe('settledAll', () => {
  it('answers every value, in the order given', async () => {
    expect(await settledAll([later(20, 'a'), later(5, 2), 3])).toEqual(['a', 2, 3]);
  });

  it('throws the first failure in the order given, only after every promise has settled', async () => {
    let lastDone = false;
    const slow = later(30, 'slow').then((v) => {
      lastDone = true;
      return v;
    });
    const failure = settledAll([later(10, 'second', true), slow, later(1, 'third', true)]);
    await expect(failure).rejects.toThrow('second');
    expect(lastDone).toBe(true);
  });
});
