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
