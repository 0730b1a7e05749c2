/**
 * Loops for what `Math.max(...xs)` and `a.push(...xs)` do: a spread passes every element as an argument,
 * and past ~100,000 elements that overflows the stack ("Maximum call stack size exceeded"). A test
 * (test/unit/cli/formatters-scale.test.ts) keeps spreads of arrays out of these calls in src/. Also the one
 * binary search the scanner and the linter share.
 */

/** The largest of `values`, or `floor` when there is none larger. */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** The smallest of `values`, or `ceiling` when there is none smaller. */
export function minOf(values: Iterable<number>, ceiling = Infinity): number {
  let m = ceiling;
  for (const v of values) if (v < m) m = v;
  return m;
}

/** Appends every element of `items` to `target` (in place) and returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}

/** Index of the first element ≥ x in an ascending array (its length when none). */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
