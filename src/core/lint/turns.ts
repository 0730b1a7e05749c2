/**
 * Work split into turns of the event loop, for a caller whose thread must stay free (the editor's extension
 * host): a generator yields between steps of its work, `runSliced` lets other events run once a slice has
 * taken SLICE_MS, and `runNow` does it all at once (the CLI).
 */

/** Longest stretch of work before other events get a turn. */
export const SLICE_MS = 10;

/** Resolves on a later turn of the event loop, after the I/O and timers due now. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the steps to their end at once. */
export function runNow<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps to their end, giving the event loop a turn after each slice of SLICE_MS. */
export async function runSliced<T>(steps: Generator<void, T>): Promise<T> {
  let slice = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - slice > SLICE_MS) {
      await nextTurn();
      slice = performance.now();
    }
  }
}
