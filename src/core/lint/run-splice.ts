/**
 * A run memo's output with some files' parts put in anew: a `lint --cache` whose walk yields the memo's
 * files, some changed, some new and some gone, lints only the changed and new ones and prints the memo's
 * output with their parts put in, the parts of the files gone taken out, and (stylish) the summary of
 * the counts written again — the bytes a run that read every file would print, since every other file's
 * part is what its unchanged content printed last time, and the parts follow one another in walk order.
 */
import { COUNT_FIELDS } from './eslint-json';
import type { RunPieces } from './run-memo';

/** A file's new part of stdout: `k` its position in the walk now, `counts` its COUNT_FIELDS counts. */
export interface SplicePart {
  k: number;
  bytes: Uint8Array;
  counts: ArrayLike<number>;
}

export interface Spliced {
  stdout: Uint8Array[];
  /** Where each of the walk's files' parts now is, in walk order (`stderrBeforeExit` as the memo's: the caller's to set). */
  pieces: RunPieces;
  /** The counts over every file, in COUNT_FIELDS order. */
  totals: number[];
}

const COMMA = 0x2c;
const COMMA_BYTES = new Uint8Array([COMMA]);

/**
 * `from`: for each file the walk yields now, in order, the memo's position of the same file, or -1 for a
 * file the memo's walk did not yield; a memo file no position names is gone. `parts`, in walk order: the
 * new part of every file that has one (each new file, each changed one), as lint.ts writes it after the
 * first — `commaSeparated` (ESLint JSON): starting with the comma that separates it from the one before,
 * which the first part printed goes without. `summary`: the summary's bytes for the new totals, put where
 * the memo's summary was. Throws when the memo's parts do not follow one another, when a file that was
 * not read (no part) changed or is gone, or when no part is left or was there: the caller then lints as
 * a run without the memo would.
 */
export function spliceOutput(stdout: Uint8Array, pieces: RunPieces, from: ArrayLike<number>, parts: readonly SplicePart[], opts: { commaSeparated: boolean; summary?: (totals: number[]) => Uint8Array }): Spliced {
  const n = pieces.ranges.length / 2;
  // The memo's parts, one after the other from `begin` to `end`: the rest of stdout is before and after them.
  let firstRead = -1;
  let begin = -1;
  let end = -1;
  for (let j = 0; j < n; j++) {
    const start = pieces.ranges[2 * j]!;
    if (start < 0) continue;
    if (firstRead < 0) [firstRead, begin] = [j, start];
    else if (start !== end) throw new Error(`the run memo's part of file ${j} does not follow the one before it`);
    end = pieces.ranges[2 * j + 1]!;
  }
  if (firstRead < 0) throw new Error('the run memo has no file part to put others beside');
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
      if (s < 0) {
        ranges[2 * k] = ranges[2 * k + 1] = -1;
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
    if (j >= 0 && pieces.ranges[2 * j]! < 0) throw new Error(`file ${k} was not read last time: it has no part to replace`);
    let bytes = part.bytes;
    if (opts.commaSeparated && bytes[0] !== COMMA) throw new Error('an ESLint JSON part without its leading comma');
    for (let i = 0; i < COUNT_FIELDS; i++) counts[c + i] = part.counts[i] ?? 0;
    if (first && opts.commaSeparated) bytes = bytes.subarray(1);
    put(bytes);
    ranges[2 * k] = at;
    at += bytes.length;
    ranges[2 * k + 1] = at;
    first = false;
  }
  if (p !== parts.length) throw new Error('the new parts are not in walk order');
  for (let j = 0; j < n; j++) if (!used[j] && pieces.ranges[2 * j]! < 0) throw new Error(`the memo's file ${j}, gone, was not read last time`);
  if (first) throw new Error('no file part is left');
  const totals = new Array<number>(COUNT_FIELDS).fill(0);
  for (let i = 0; i < counts.length; i++) totals[i % COUNT_FIELDS]! += counts[i]!;
  const delta = at - end;
  let summary = pieces.summary;
  let rest = end;
  flush();
  if (summary !== undefined && opts.summary !== undefined) {
    const [s, e] = summary;
    if (s < end) throw new Error("the run memo's summary is not after every file's part");
    const bytes = opts.summary(totals);
    out.push(stdout.subarray(end, s), bytes);
    rest = e;
    summary = [s + delta, s + delta + bytes.length];
  } else if (summary !== undefined) summary = [summary[0] + delta, summary[1] + delta];
  out.push(stdout.subarray(rest));
  return { stdout: out, pieces: { ...pieces, ranges, counts, ...(summary ? { summary } : {}) }, totals };
}
