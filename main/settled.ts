/**
 * Waits for every promise, then answers their values or throws the first failure (in the order
 * given). Unlike Promise.all, nothing is left in flight when one fails: writes sent together in
 * one transaction have all finished before it is rolled back or their writers closed.
 */
export async function settledAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: PromiseLike<T[K]> | T[K] }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Runs `tasks` all at once when `together`, else each after the one before has settled, and
 * answers as settledAll. For statements of one transaction: SQLite's driver queues them on its
 * one connection and works through them while the main thread goes on, but pg's client only
 * queues them by a use it has deprecated (and drops in pg 9), so on PostgreSQL they go in turn.
 */
export async function settledInTurn<T extends readonly unknown[]>(
  together: boolean,
  tasks: readonly [...{ [K in keyof T]: () => PromiseLike<T[K]> }],
): Promise<T> {
  if (together) return settledAll(tasks.map((task) => task()) as never);
  const values: unknown[] = [];
  for (const task of tasks) values.push(await task());
  return values as unknown as T;
}
