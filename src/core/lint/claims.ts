/**
 * A batch's claim word: which of its files are still to be linted, shared between the worker that lints the
 * batch and the pool that sent it. The worker takes files from the front, one at a time; the pool may take
 * the back part of what is left for a worker that has run out of work (a batch holding a few large files
 * would otherwise keep one worker busy long after the other is idle). Files [next, end) are left: `next` in
 * the low 16 bits, `end` in the high 16 bits of one Int32 on a SharedArrayBuffer, changed only by
 * compare-and-exchange, so each file is taken exactly once, and what the worker lints is always a prefix.
 */

/** The most files a batch may hold: `next` and `end` get 16 bits each, and `end` in the high half keeps the word positive. */
export const MAX_CLAIM_FILES = 0x7fff;

export type Claim = Int32Array;

/** A claim word for a batch of `files` files, none taken. */
export function newClaim(files: number): Claim {
  if (!Number.isInteger(files) || files < 0 || files > MAX_CLAIM_FILES) throw new RangeError(`a batch holds 0 to ${MAX_CLAIM_FILES} files, not ${files}`);
  const claim = new Int32Array(new SharedArrayBuffer(4));
  claim[0] = files << 16;
  return claim;
}

/** The worker's side: the index of the next file to lint, or -1 when none is left for it. */
export function claimNext(claim: Claim): number {
  for (;;) {
    const v = Atomics.load(claim, 0);
    const next = v & 0xffff;
    if (next >= v >>> 16) return -1;
    if (Atomics.compareExchange(claim, 0, v, v + 1) === v) return next;
  }
}

/** Files neither linted nor being linted. */
export function unclaimed(claim: Claim): number {
  const v = Atomics.load(claim, 0);
  return Math.max(0, (v >>> 16) - (v & 0xffff));
}

/**
 * The pool's side: takes the back half (rounded up) of the files left, and returns their range [from, to),
 * or undefined when none is left. The worker then lints files [0, from) only.
 */
export function stealBack(claim: Claim): { from: number; to: number } | undefined {
  for (;;) {
    const v = Atomics.load(claim, 0);
    const next = v & 0xffff;
    const end = v >>> 16;
    if (next >= end) return undefined;
    const from = end - Math.ceil((end - next) / 2);
    if (Atomics.compareExchange(claim, 0, v, next | (from << 16)) === v) return { from, to: end };
  }
}

/** How many files the batch's worker lints (all of them once it has finished: no steal can change it then). */
export function claimedEnd(claim: Claim): number {
  return Atomics.load(claim, 0) >>> 16;
}
