/**
 * Reference-count snapshots for the dashboard's burn-down: one JSON line per full
 * workspace scan in `<manifest dir>/.bqmigrate/reference-snapshots.jsonl`.
 * Append-only so concurrent windows never lose each other's lines; a torn or
 * foreign line is reported with file:line and skipped, never fatal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';

export const SNAPSHOTS_FILE = path.join('.bqmigrate', 'reference-snapshots.jsonl');

/** What the extension passes after a full scan: legacy references left, by legacy dataset. */
export interface ReferenceCounts {
  /** All legacy references found (equals the sum of byDataset). */
  total: number;
  byDataset: Record<string, number>;
  /** Files scanned, when known. */
  files?: number;
}

export const ReferenceSnapshot = z.object({
  ts: z.string().min(1),
  total: z.number().int().nonnegative(),
  byDataset: z.record(z.string(), z.number().int().nonnegative()),
  files: z.number().int().nonnegative().optional(),
});
export type ReferenceSnapshot = z.infer<typeof ReferenceSnapshot>;

export function snapshotsPath(manifestDir: string): string {
  return path.join(manifestDir, SNAPSHOTS_FILE);
}

/** The snapshot of these counts at `now`, checked, and its line in the file. */
function snapshotLine(counts: ReferenceCounts, now: Date): { snapshot: ReferenceSnapshot; line: string } {
  const snapshot = ReferenceSnapshot.parse({ ts: now.toISOString(), total: counts.total, byDataset: counts.byDataset, ...(counts.files !== undefined ? { files: counts.files } : {}) });
  // One write call per line with O_APPEND: lines from two writers interleave whole.
  return { snapshot, line: JSON.stringify(snapshot) + '\n' };
}

/** Appends one snapshot; returns what was written. */
export function recordSnapshot(manifestDir: string, counts: ReferenceCounts, now: Date = new Date()): ReferenceSnapshot {
  const { snapshot, line } = snapshotLine(counts, now);
  const file = snapshotsPath(manifestDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, line);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return snapshot;
}

/**
 * `recordSnapshot` without blocking the thread, the flush to disk included: the extension appends one
 * after every workspace scan on its host's thread, where a synchronous `fsync` held up typing for as long
 * as the disk took (about 20 ms in the editor benchmark's profile).
 */
export async function appendSnapshot(manifestDir: string, counts: ReferenceCounts, now: Date = new Date()): Promise<ReferenceSnapshot> {
  const { snapshot, line } = snapshotLine(counts, now);
  const file = snapshotsPath(manifestDir);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.promises.open(file, 'a');
  try {
    await handle.write(line);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return snapshot;
}

export interface SnapshotsRead {
  snapshots: ReferenceSnapshot[];
  /** file:line: what was wrong — skipped lines. */
  problems: string[];
}

/** All snapshots, oldest first (sorted by ts; file order breaks ties). Missing file = none. */
export function readSnapshots(manifestDir: string): SnapshotsRead {
  const file = snapshotsPath(manifestDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], problems: [] };
    return { snapshots: [], problems: [`${file}: cannot read reference snapshots: ${(err as Error).message}`] };
  }
  const snapshots: ReferenceSnapshot[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${file}:${i + 1}:1: not JSON (a torn write?); line skipped`);
      return;
    }
    const r = ReferenceSnapshot.safeParse(json);
    if (r.success) snapshots.push(r.data);
    else problems.push(`${file}:${i + 1}:1: expected { ts, total, byDataset }: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}; line skipped`);
  });
  const order = snapshots.map((s, i) => ({ s, i }));
  order.sort((a, b) => (a.s.ts < b.s.ts ? -1 : a.s.ts > b.s.ts ? 1 : a.i - b.i));
  return { snapshots: order.map((o) => o.s), problems };
}
