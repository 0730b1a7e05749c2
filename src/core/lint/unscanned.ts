/**
 * Files and folders a lint did not read, and why: the walk's skips (.gitignore, the manifest's globs,
 * dependency folders, binary formats, special files) and the files that could not be read as text (NUL
 * bytes, not UTF-8, over the size limit, permissions). Every one is reported, so a user can prove coverage.
 */

export type UnscannedReason =
  | 'ignored'
  | 'excluded'
  | 'not-included'
  | 'never-linted'
  | 'manifest'
  | 'binary'
  | 'too-large'
  | 'not-utf8'
  | 'unreadable'
  | 'not-a-file';

export interface Unscanned {
  /** Absolute path. */
  path: string;
  /** A whole folder was skipped (its files are not counted one by one). */
  folder: boolean;
  reason: UnscannedReason;
  /** What matched or failed: `exclude glob vendor/**`, `.gitignore in /repo`, `NUL byte at offset 12`. */
  detail: string;
}

/** How each reason reads in the one-line summary, after a count: `3 files (ignored by .gitignore)`. */
const SUMMARY: Record<UnscannedReason, string> = {
  ignored: 'ignored by .gitignore',
  excluded: "excluded by the manifest's exclude globs",
  'not-included': "outside the manifest's include globs",
  'never-linted': "dependencies, version control or bqmigrate's own temp files",
  manifest: 'the manifest itself',
  binary: 'binary',
  'too-large': 'over the size limit',
  'not-utf8': 'not UTF-8',
  unreadable: 'unreadable',
  'not-a-file': 'FIFOs, sockets or devices',
};

/** Reasons worth a line on every run; the others (node_modules, .git, the manifest) are listed only on request. */
export function isNotable(u: Unscanned): boolean {
  return u.reason !== 'never-linted' && u.reason !== 'manifest';
}

/** `30 files (ignored by .gitignore), 1 folder (excluded by the manifest's exclude globs), 2 files (binary)`. */
export function summarizeUnscanned(list: readonly Unscanned[]): string {
  const counts = new Map<string, number>();
  for (const u of list) {
    const key = `${u.reason}\u0000${u.folder ? 'folder' : 'file'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, n]) => {
      const [reason, kind] = key.split('\u0000') as [UnscannedReason, string];
      return `${n} ${kind}${n === 1 ? '' : 's'} (${SUMMARY[reason]})`;
    })
    .join(', ');
}
