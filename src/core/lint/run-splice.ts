/**
 * A run memo's output with some files' parts put in anew: a `lint --cache` whose walk yields the memo's
 * files, some changed, some new and some gone, lints only the changed and new ones and prints the memo's
 * output with their parts put in, the parts of the files gone taken out, and what follows the parts (the
 * summary, what was not read) written anew — the bytes a run that read every file would print, since
 * every other file's part is what its unchanged content printed last time, and the parts follow one
 * another in walk order.
 */
import { COUNT_FIELDS } from './eslint-json';
import type { RunPieces } from './run-memo';

/** A file's new part of stdout: `k` its position in the walk now, `counts` its COUNT_FIELDS counts; no bytes: a file not read now. */
export interface SplicePart {
  k: number;
  bytes: Uint8Array | undefined;
  counts: ArrayLike<number>;
}

export interface Spliced {
  stdout: Uint8Array[];
  /** Where each of the walk's files' parts now is, in walk order, and where the parts start and end. */
  pieces: Pick<RunPieces, 'ranges' | 'counts' | 'parts'>;
  /** The counts over every file, in COUNT_FIELDS order. */
  totals: number[];
}

const COMMA = 0x2c;
const COMMA_BYTES = new Uint8Array([COMMA]);

/**
 * `from`: for each file the walk yields now, in order, the memo's position of the same file, or -1 for a
 * file the memo's walk did not yield; a memo file no position names is gone. `parts`, in walk order: the
 * new part of every file that has one (each new file, each changed one), as lint.ts writes it after the
 * first — `commaSeparated` (ESLint JSON, SARIF): starting with the comma that separates it from the one
 * before, which the first part printed with bytes goes without. `tail`: what follows the parts, for the
 * new totals (`first`: no part was printed). Throws when the memo's parts do not follow one another from
 * `pieces.parts`' start to its end: the caller then lints as a run without the memo would.
 */
export function spliceOutput(stdout: Uint8Array, pieces: Pick<RunPieces, 'ranges' | 'counts' | 'parts'>, from: ArrayLike<number>, parts: readonly SplicePart[], opts: { commaSeparated: boolean; tail: (totals: number[], first: boolean) => Uint8Array }): Spliced {
  const n = pieces.ranges.length / 2;
  const [begin, end] = pieces.parts;
  // The memo's parts, one after the other from `begin` to `end`; the first with bytes went without its comma.
  let firstRead = -1;
  let last = begin;
  for (let j = 0; j < n; j++) {
    const start = pieces.ranges[2 * j]!;
    if (start < 0) continue;
    if (start !== last) throw new Error(`the run memo's part of file ${j} does not follow the one before it`);
    last = pieces.ranges[2 * j + 1]!;
    if (firstRead < 0 && last > start) firstRead = j;
  }
  if (last !== end || end > stdout.length) throw new Error("the run memo's parts do not end where its tail starts");
  const used = new Uint8Array(n);
  const ranges = new Float64Array(2 * from.length);
  const counts = new Int32Array(COUNT_FIELDS * from.length);
  const out: Uint8Array[] = [];
  // The memo's bytes from `from0` to `to0` go out next, unchanged: consecutive parts kept as they were are one chunk.
  let [from0, to0] = [0, begin];
  const flush = () => {
    if (to0 > from0) out.push(stdout.subarray(from0, to0));
    from0 = to0;
  };
  const put = (bytes: Uint8Array) => {
    flush();
    out.push(bytes);
  };
  let at = begin;
  let first = true;
  let p = 0;
  for (let k = 0; k < from.length; k++) {
    const j = from[k]!;
    if (j >= 0) {
      if (j >= n || used[j]) throw new Error(`file ${k} of the walk names the memo's file ${j} again or one it does not have`);
      used[j] = 1;
    }
    const part = parts[p]?.k === k ? parts[p++] : undefined;
    const c = COUNT_FIELDS * k;
    if (part === undefined && j < 0) throw new Error(`file ${k} is new and has no part`);
    if (part === undefined) {
      // A part kept as it was: offsets only (this runs for every file of the walk).
      for (let i = 0; i < COUNT_FIELDS; i++) counts[c + i] = pieces.counts[COUNT_FIELDS * j + i]!;
      let s = pieces.ranges[2 * j]!;
      const e = pieces.ranges[2 * j + 1]!;
      if (s < 0 || s === e) {
        // Not read, or read without a part (SARIF, stylish: no findings): nothing to print, no comma to move.
        ranges[2 * k] = ranges[2 * k + 1] = s < 0 ? -1 : at;
        continue;
      }
      const start = at;
      if (opts.commaSeparated && j !== firstRead && stdout[s] !== COMMA) throw new Error(`the run memo's part of file ${j} does not start with its comma`);
      if (opts.commaSeparated && first && j !== firstRead) s++;
      else if (opts.commaSeparated && !first && j === firstRead) {
        put(COMMA_BYTES);
        at++;
      }
      if (s !== to0) {
        flush();
        from0 = s;
      }
      to0 = e;
      at += e - s;
      ranges[2 * k] = start;
      ranges[2 * k + 1] = at;
      first = false;
      continue;
    }
    for (let i = 0; i < COUNT_FIELDS; i++) counts[c + i] = part.counts[i] ?? 0;
    let bytes = part.bytes;
    if (bytes === undefined || bytes.length === 0) {
      ranges[2 * k] = ranges[2 * k + 1] = bytes === undefined ? -1 : at;
      continue;
    }
    if (opts.commaSeparated && bytes[0] !== COMMA) throw new Error(`the new part of file ${k} is without its leading comma`);
    if (first && opts.commaSeparated) bytes = bytes.subarray(1);
    put(bytes);
    ranges[2 * k] = at;
    at += bytes.length;
    ranges[2 * k + 1] = at;
    first = false;
  }
  if (p !== parts.length) throw new Error('the new parts are not in walk order');
  flush();
  const totals = new Array<number>(COUNT_FIELDS).fill(0);
  for (let i = 0; i < counts.length; i++) totals[i % COUNT_FIELDS]! += counts[i]!;
  out.push(opts.tail(totals, first));
  return { stdout: out, pieces: { ranges, counts, parts: [begin, at] }, totals };
}
