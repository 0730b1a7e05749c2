/**
 * A walk taken once and handed on: the run memo's check walks every file and stats it (run-memo.ts
 * MemoCheck); when the memo does not hold, the lint that follows takes the same walk from here instead of
 * listing the folders again, and each file's identity from here instead of a second stat. The record keeps
 * what the walk yielded, left out and could not read, in the order it happened, so the lint sees the same
 * sequence (and says the same things in the same order) as from a walk of its own.
 *
 * A warm run whose memo holds keeps nothing of it but numbers: the files' paths are kept only from the
 * first one where the walk departs from the memo's list (`keep`); those before are the memo's, given
 * back by `complete` when the record is needed.
 */
import type { Identity } from './cache-identity';
import type { Unscanned } from './unscanned';

/** Something the walk said: a file or folder it left out, or a path it could not read (`file`, `message`). */
type Said = Unscanned | [file: string, message: string];

export class WalkRecord {
  /** What the walk said, each with how many files it had yielded before. */
  private readonly said: { at: number; what: Said }[] = [];
  /** Size, mtime and inode of each file (NaN: it could not be statted). */
  private ids = new Float64Array(3 * 1024);
  private count = 0;
  private unkept = 0;
  private keeping = false;
  private readonly kept: string[] = [];
  private all: string[] | undefined;
  private first: ((n: number) => readonly string[]) | undefined;
  private byFile: Map<string, Identity | undefined> | undefined;

  /** From the next file on, paths are kept (the walk departed from the list whose paths `complete` gives). */
  keep(): void {
    this.keeping = true;
  }

  /** A file the walk yielded, with its size, mtime and inode then (undefined: it could not be statted). */
  file(file: string, id: Identity | undefined): void {
    if (3 * this.count === this.ids.length) {
      const grown = new Float64Array(2 * this.ids.length);
      grown.set(this.ids);
      this.ids = grown;
    }
    const at = 3 * this.count++;
    this.ids[at] = id?.size ?? NaN;
    this.ids[at + 1] = id?.mtimeMs ?? NaN;
    this.ids[at + 2] = id?.ino ?? NaN;
    if (this.keeping) this.kept.push(file);
    else this.unkept++;
  }

  skip(u: Unscanned): void {
    this.said.push({ at: this.count, what: u });
  }

  error(file: string, message: string): void {
    this.said.push({ at: this.count, what: [file, message] });
  }

  /** What the walk left out, in order. */
  get skips(): Unscanned[] {
    return this.said.flatMap(({ what }) => (Array.isArray(what) ? [] : [what]));
  }

  /** Completes the record once the walk has ended: `first(n)` gives the paths of the first n files (those not kept), when they are first needed. */
  complete(first: (n: number) => readonly string[]): void {
    this.first = first;
  }

  /** The files the walk yielded, in order (once `complete`d). */
  get files(): readonly string[] {
    if (this.all === undefined) {
      if (this.first === undefined) throw new Error('the walk record is not complete');
      const before = this.first(this.unkept);
      if (before.length !== this.unkept) throw new Error('the walk record was completed with another number of files');
      this.all = [...before, ...this.kept];
    }
    return this.all;
  }

  /** The identity of the k-th file the walk yielded, as it was then. */
  identityAt(k: number): Identity | undefined {
    const size = this.ids[3 * k]!;
    return k < this.count && !Number.isNaN(size) ? { size, mtimeMs: this.ids[3 * k + 1]!, ino: this.ids[3 * k + 2]!, hash: '' } : undefined;
  }

  /** Each file's identity as the walk found it, taken before any of it was read (built when first asked). */
  get identities(): ReadonlyMap<string, Identity | undefined> {
    if (this.byFile === undefined) {
      const files = this.files;
      this.byFile = new Map();
      for (let k = 0; k < files.length; k++) this.byFile.set(files[k]!, this.identityAt(k));
    }
    return this.byFile;
  }

  /** The walk again: yields its files and says what it left out and could not read, each where the walk did. */
  *replay(to: { onSkip?(skip: Unscanned): void; onError?(file: string, message: string): void }): Generator<string> {
    const files = this.files;
    let s = 0;
    for (let k = 0; k <= files.length; k++) {
      for (; s < this.said.length && this.said[s]!.at === k; s++) {
        const what = this.said[s]!.what;
        if (Array.isArray(what)) to.onError?.(what[0], what[1]);
        else to.onSkip?.(what);
      }
      if (k < files.length) yield files[k]!;
    }
  }
}
