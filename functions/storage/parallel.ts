// Independent pieces of work side by side, at most `limit` at once: the daily run's ledgers, a
// ledger's groups of units, the day partitions; and reads started ahead of the work that needs them.
// Storage requests are bounded again by the storage itself (`StorageOptions.concurrency`), so
// nesting pools never exceeds the setting.

/**
 * `fn` over every item, at most `limit` running at once; the results in the items' order. The first
 * failure stops new items from starting, lets the running ones end, and is thrown.
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let failure: unknown;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (e) {
        if (!failed) failure = e;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failure;
  return results;
}

/**
 * A read started now and awaited later: its failure is reported where it is awaited (never an
 * unhandled rejection), and a read that failed is made again for whoever asks next (the ledger
 * written again unit by unit after a failed attempt), whether or not the failed one was handed out.
 */
export function prefetched<T>(read: () => Promise<T>): () => Promise<T> {
  let failed = false;
  const start = () => {
    const p = read();
    p.catch(() => {
      if (pending === p) failed = true;
    });
    return p;
  };
  let pending = start();
  return () => {
    if (failed) {
      failed = false;
      pending = start();
    }
    return pending;
  };
}
