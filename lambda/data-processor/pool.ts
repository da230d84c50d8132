/**
 * The bounded pool that runs the records of one event (no dependency). A batched event's records
 * are independent: each has its own audit key, and the conditional audit write settles a race
 * between two deliveries of one version. So they may run at the same time, up to a bound that keeps
 * the memory of the records being read in check ({@link RECORD_CONCURRENCY} in contract.ts).
 */

/**
 * Runs `work` over `items`, at most `limit` at a time, starting the next item as soon as one
 * settles. Every item is started exactly once and settled before this returns, so a failure never
 * cuts the others short; the results are in the order of `items`, whatever order they settled in.
 */
export async function settleWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`settleWithLimit: limit must be a whole number of at least 1, got ${limit}`);
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await work(items[i]) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
