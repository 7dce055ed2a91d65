import { describe, expect, it } from 'vitest';
import { settledAll, settledInTurn } from '../../main/settled';

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

describe('settledInTurn', () => {
  /** Tasks that record when each starts and ends. */
  const recorded = () => {
    const events: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      () => {
        events.push(`start ${name}`);
        return later(ms, name, fail).finally(() => events.push(`end ${name}`));
      };
    return { events, task };
  };

  it('starts every task at once when together, and answers as settledAll', async () => {
    const { events, task } = recorded();
    expect(await settledInTurn(true, [task('a', 20), task('b', 5)])).toEqual(['a', 'b']);
    expect(events).toEqual(['start a', 'start b', 'end b', 'end a']);
  });

  it('starts each task after the one before has settled when not together', async () => {
    const { events, task } = recorded();
    expect(await settledInTurn(false, [task('a', 20), task('b', 5)])).toEqual(['a', 'b']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('in turn, stops at a failure and starts nothing after it', async () => {
    const { events, task } = recorded();
    await expect(settledInTurn(false, [task('a', 5, true), task('b', 5)])).rejects.toThrow('a');
    expect(events).toEqual(['start a', 'end a']);
  });
});
