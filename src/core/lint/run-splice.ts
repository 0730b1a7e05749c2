/**
 * A run memo's output with some files' parts put in anew: a `lint --cache` whose walk yields what the
 * memo's did but finds a few files changed lints only those and prints the memo's output with their
 * parts replaced (and, for stylish, the summary of the counts written again) — the bytes a run that read
 * every file would print, since every other file's part is what its unchanged content printed last time.
 */
import { COUNT_FIELDS } from './eslint-json';
import type { RunPieces } from './run-memo';

/** A changed file's new part of stdout: `k` its position in the walk, `counts` its COUNT_FIELDS counts. */
export interface SplicePart {
  k: number;
  bytes: Uint8Array;
  counts: ArrayLike<number>;
}

export interface Spliced {
  stdout: Uint8Array[];
  pieces: RunPieces;
  /** The counts over every file, in COUNT_FIELDS order. */
  totals: number[];
}

/**
 * `parts` in walk order, each of a file that had a part before (`ranges` start ≥ 0). `commaSeparated`:
 * ESLint JSON, where each part starts with the comma that separates it from the one before, and the first
 * was written without it. `summary`: the summary's bytes for the new totals, put where the memo's summary was.
 */
export function spliceOutput(stdout: Uint8Array, pieces: RunPieces, parts: readonly SplicePart[], opts: { commaSeparated: boolean; summary?: (totals: number[]) => Uint8Array }): Spliced {
  const n = pieces.ranges.length / 2;
  const ranges = Float64Array.from(pieces.ranges);
  const counts = Int32Array.from(pieces.counts);
  let firstRead = 0;
  while (firstRead < n && pieces.ranges[2 * firstRead]! < 0) firstRead++;
  const out: Uint8Array[] = [];
  let at = 0;
  let delta = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const start = pieces.ranges[2 * k]!;
    const end = pieces.ranges[2 * k + 1]!;
    const part = parts[j];
    if (part === undefined || part.k !== k) {
      if (start >= 0) {
        ranges[2 * k] = start + delta;
        ranges[2 * k + 1] = end + delta;
      }
      continue;
    }
    j++;
    if (start < at) throw new Error(`the run memo's part of file ${k} is not where a new part can go`);
    let bytes = part.bytes;
    if (opts.commaSeparated && k === firstRead) {
      if (bytes[0] !== 0x2c) throw new Error('an ESLint JSON part without its leading comma');
      bytes = bytes.subarray(1);
    }
    out.push(stdout.subarray(at, start), bytes);
    at = end;
    ranges[2 * k] = start + delta;
    delta += bytes.length - (end - start);
    ranges[2 * k + 1] = end + delta;
    for (let i = 0; i < COUNT_FIELDS; i++) counts[COUNT_FIELDS * k + i] = part.counts[i] ?? 0;
  }
  if (j !== parts.length) throw new Error('the new parts are not in walk order');
  const totals = new Array<number>(COUNT_FIELDS).fill(0);
  for (let k = 0; k < counts.length; k++) totals[k % COUNT_FIELDS]! += counts[k]!;
  let summary = pieces.summary;
  if (summary !== undefined && opts.summary !== undefined) {
    const [s, e] = summary;
    if (s < at) throw new Error("the run memo's summary is not after every file's part");
    const bytes = opts.summary(totals);
    out.push(stdout.subarray(at, s), bytes);
    at = e;
    summary = [s + delta, s + delta + bytes.length];
  }
  out.push(stdout.subarray(at));
  return { stdout: out, pieces: { ...pieces, ranges, counts, ...(summary ? { summary } : {}) }, totals };
}
