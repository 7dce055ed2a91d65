import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchIndexer, INDEX_BACKLOG, INDEX_IDLE_MS } from '../../main/services/access-log-indexer';

/** A queue of entries the fake batch drains, 2 at a time, recording overlap. */
function fakeQueue() {
  const state = { queued: 0, batches: 0, running: 0, overlapped: false, fail: 0, arriving: 0 };
  const batch = async () => {
    state.running++;
    if (state.running > 1) state.overlapped = true;
    await new Promise((r) => setTimeout(r, 5));
    state.running--;
    if (state.fail > 0) {
      state.fail--;
      throw new Error('disk full');
    }
    state.batches++;
    const n = Math.min(2, state.queued);
    state.queued -= n;
    // Reads go on while a batch runs.
    state.queued += state.arriving;
    return n;
  };
  return { state, batch };
}

describe('BatchIndexer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in reading, and each new read restarts the wait', async () => {
    const { state, batch } = fakeQueue();
    const indexer = new BatchIndexer(batch, 2, () => {});
    state.queued = 1;
    indexer.queued(50);
    await vi.advanceTimersByTimeAsync(INDEX_IDLE_MS - 100);
    state.queued++;
    indexer.queued(50);
    await vi.advanceTimersByTimeAsync(INDEX_IDLE_MS - 100);
    expect(state.batches).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(state.queued).toBe(0);
    await indexer.stop();
  });

  it('does not wait for a pause once the backlog is large', async () => {
    const { state, batch } = fakeQueue();
    const indexer = new BatchIndexer(batch, 2, () => {});
    state.queued = 5;
    indexer.queued(INDEX_BACKLOG - 1);
    await vi.advanceTimersByTimeAsync(50);
    expect(state.batches).toBe(0);
    indexer.queued(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(state.queued).toBe(0);
    await indexer.stop();
  });

  it('never runs two batches at once, and a run asked for during another sees what was queued', async () => {
    const { state, batch } = fakeQueue();
    const indexer = new BatchIndexer(batch, 2, () => {});
    state.queued = 3;
    const first = indexer.run();
    await vi.advanceTimersByTimeAsync(1);
    state.queued += 4;
    const second = indexer.run();
    await vi.advanceTimersByTimeAsync(100);
    expect((await first) + (await second)).toBe(7);
    expect(state.overlapped).toBe(false);
    expect(state.queued).toBe(0);
  });

  it('reports a failed background run and leaves the work for the next run', async () => {
    const { state, batch } = fakeQueue();
    const errors: unknown[] = [];
    const indexer = new BatchIndexer(batch, 2, (e) => errors.push(e));
    state.queued = 3;
    state.fail = 1;
    indexer.queued(3);
    await vi.advanceTimersByTimeAsync(INDEX_IDLE_MS + 50);
    expect(errors).toHaveLength(1);
    expect(state.queued).toBe(3);
    const run = indexer.run();
    await vi.advanceTimersByTimeAsync(100);
    expect(await run).toBe(3);
  });

  it('after stop, reads no longer start runs', async () => {
    const { state, batch } = fakeQueue();
    const indexer = new BatchIndexer(batch, 2, () => {});
    state.queued = 2;
    indexer.queued(2);
    await indexer.stop();
    indexer.queued(INDEX_BACKLOG);
    await vi.advanceTimersByTimeAsync(INDEX_IDLE_MS * 3);
    expect(state.batches).toBe(0);
  });

  it('ends a run at the first short batch, even while reads keep queueing entries', async () => {
    const { state, batch } = fakeQueue();
    const indexer = new BatchIndexer(batch, 2, () => {});
    state.queued = 5;
    state.arriving = 1;
    const run = indexer.run();
    await vi.advanceTimersByTimeAsync(100);
    // Each batch takes 2 while 1 arrives: 5 -> 4 -> 3 -> 2 -> 1, then a short batch of 1 ends it
    // (the entry that arrived during that batch waits for the next run).
    expect(await run).toBe(9);
    expect(state.batches).toBe(5);
    expect(state.queued).toBe(1);
    await indexer.stop();
  });
});
