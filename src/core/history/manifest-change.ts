/**
 * The manifest that ran: every run-start records the manifest hash (and, up to MAPPINGS_RECORDED
 * mappings, the mappings as `from → to`). A later run or resume of the same phases with another
 * hash stops, showing which mappings differ, until confirmed (`--yes`), as Flyway refuses a
 * migration whose checksum changed.
 */
import type { LoadedManifest } from '../manifest/load';
import type { JournalEvent } from '../phases/types';
import { manifestHash } from './identity';

/** Up to this many mappings are recorded with a run, for showing the difference later. */
export const MAPPINGS_RECORDED = 2000;

export function mappingLines(loaded: LoadedManifest): string[] {
  return loaded.manifest.mappings.map((m) => `${m.from} → ${m.to ?? '(unmapped)'}${m.kind === 'path' ? ' (path)' : ''}`);
}

/** What a run-start records about its manifest. */
export function manifestRecord(loaded: LoadedManifest): Record<string, unknown> {
  const lines = mappingLines(loaded);
  return { manifestHash: manifestHash(loaded), ...(lines.length <= MAPPINGS_RECORDED ? { mappings: lines } : {}) };
}

export interface ManifestChange {
  /** The earlier run the manifest is compared with. */
  runId: string;
  ts: string;
  was: string;
  now: string;
  added: string[];
  removed: string[];
}

/**
 * The change since the last run of any of `phases` (for a resume: since the interrupted run's
 * start), or undefined when the hash is the same or no earlier run recorded one.
 */
export function manifestChange(loaded: LoadedManifest, events: readonly JournalEvent[], phases: readonly string[], resumedRun?: string): ManifestChange | undefined {
  let start: JournalEvent | undefined;
  for (let i = events.length - 1; i >= 0 && !start; i--) {
    const e = events[i]!;
    if (e.event !== 'run-start' || typeof e.details?.manifestHash !== 'string') continue;
    if (resumedRun ? e.runId === resumedRun : Array.isArray(e.details.phases) && (e.details.phases as string[]).some((p) => phases.includes(p))) start = e;
  }
  if (!start) return undefined;
  const now = manifestHash(loaded);
  const was = String(start.details!.manifestHash);
  if (was === now) return undefined;
  const before = Array.isArray(start.details!.mappings) ? new Set(start.details!.mappings as string[]) : undefined;
  const current = mappingLines(loaded);
  const after = new Set(current);
  return {
    runId: start.runId,
    ts: start.ts,
    was,
    now,
    added: before ? current.filter((m) => !before.has(m)) : [],
    removed: before ? [...before].filter((m) => !after.has(m)) : [],
  };
}

export function formatManifestChange(c: ManifestChange): string {
  const lines = [`the manifest changed since run ${c.runId} (${c.ts}) ran these phases: hash ${c.was} then, ${c.now} now`];
  if (c.added.length || c.removed.length) {
    for (const m of c.removed.slice(0, 50)) lines.push(`  - ${m}`);
    for (const m of c.added.slice(0, 50)) lines.push(`  + ${m}`);
    const more = Math.max(0, c.removed.length - 50) + Math.max(0, c.added.length - 50);
    if (more) lines.push(`  … and ${more} more`);
  } else {
    lines.push('  the mappings are the same: the difference is in the datasets, archive, shims, checks or phases');
  }
  return lines.join('\n');
}

/** The manifest changed since these phases last ran and the change was not confirmed; nothing ran. */
export class ManifestChanged extends Error {
  override name = 'ManifestChanged';
  constructor(readonly change: ManifestChange) {
    super(`${formatManifestChange(change)}\nnothing ran; review the difference, then run again with --yes to go on with the manifest as it is now`);
  }
}
