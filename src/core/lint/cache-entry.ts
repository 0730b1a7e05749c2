/** One file's entry of the lint cache (cache.ts) as a run hands it out: counts at once, bytes and result when asked for. */
import type { Region } from './cache-file';
import { decodeCachedResult } from './cache-codec';
import type { FileLintResult } from './file-lint';
import type { UnscannedReason } from './unscanned';

/** Where an entry's bytes are: a region of the file opened, or fresh bytes of this run. */
type Bytes = Uint8Array | { region: Region; start: number; length: number };
const bytesOf = (b: Bytes): Uint8Array => (b instanceof Uint8Array ? b : b.region.slice(b.start, b.length));

/** Whether a file's counts (errors, warnings, infos first, as CachedLint.counts) hold any finding. */
export function hasFindings(counts: ArrayLike<number>): boolean {
  return counts[0]! + counts[1]! + counts[2]! > 0;
}

/** One file's cached lint: its counts and note at once, its ESLint JSON and full result when asked for. */
export class CachedLint {
  private decoded: FileLintResult | undefined;

  constructor(
    readonly filePath: string,
    /** errors, warnings, infos, fixable errors, fixable warnings (COUNT_FIELDS numbers). */
    readonly counts: Int32Array | readonly number[],
    /** Why the file was not read (with `unscanned`), or undefined for a linted file. */
    readonly note: string | undefined,
    readonly unscanned: UnscannedReason | undefined,
    private readonly jsonBytes: Bytes,
    private readonly resultBytes: Bytes,
    result?: FileLintResult,
  ) {
    this.decoded = result;
  }

  /** `,` + the file's ESLint JSON object (empty for a file not read), as the lint workers write it. */
  get json(): Uint8Array {
    return bytesOf(this.jsonBytes);
  }

  /** The file's FileLintResult; throws when the stored bytes do not read back as one. */
  result(): FileLintResult {
    this.decoded ??= decodeCachedResult(bytesOf(this.resultBytes), this.filePath);
    return this.decoded;
  }

  /** Bytes of the stored result, for writing the cache again. */
  get resultData(): Uint8Array {
    return bytesOf(this.resultBytes);
  }

  /** Bytes the entry's payload takes in the cache file. */
  get size(): number {
    return this.jsonBytes.length + this.resultBytes.length;
  }
}

