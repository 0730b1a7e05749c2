/**
 * `bqmigrate readers`: who read each legacy name and shim of the manifest in the last N days.
 * Jobs come from BigQuery's INFORMATION_SCHEMA (jobs.ts) or the local job log; which names a job
 * read comes from its referenced_tables and from its query text through the linter's scanner
 * (match.ts). Every report says what it could not see. Imports core only, never `vscode`.
 */
import { createLinter } from '../lint/linter';
import type { LoadedManifest } from '../manifest/load';
import { expandMappings } from '../phases/expand';
import { takeSnapshot } from '../phases/snapshot';
import type { QueryOptions, Warehouse } from '../warehouse/types';
import { fetchJobs } from './jobs';
import { indexNames, namesReadBy } from './match';
import type { NameReaders, Reader, ReadersReport } from './types';

export type { JobRow, NameReaders, Reader, ReadersCoverage, ReadersReport, ReadEvidence } from './types';
export { isOwnJob, organizationJobsSql, ownJobsSql } from './jobs';
export { formatReadersReport, readersExitCode, readReadersFile, READERS_FILE, writeReadersFile, type ReadersFileResult } from './report';

/** A legacy name the search is about. */
export interface ReaderTarget {
  name: string;
  mappingIndex: number;
  to: string;
  shim: boolean;
  exists: boolean;
}

export interface ReadersOptions {
  days: number;
  now?: Date;
  /** Labels and cancellation for the job-history queries (a phase step passes its own). */
  queryOptions?: QueryOptions;
}

const DAY_MS = 86_400_000;

/** Every concrete legacy name of the manifest's table mappings, as the warehouse has them now. */
export async function manifestTargets(wh: Warehouse, loaded: LoadedManifest, now: Date): Promise<ReaderTarget[]> {
  const snapshot = await takeSnapshot(wh, loaded);
  return expandMappings(loaded.manifest, snapshot, now).mappings.map((m) => ({
    name: m.from,
    mappingIndex: m.mappingIndex,
    to: m.to,
    shim: snapshot.objects[m.from] === 'VIEW',
    exists: snapshot.objects[m.from] !== undefined,
  }));
}

/** Readers of `targets` in the window. Throws a WarehouseError when the project's own job history cannot be read. */
export async function searchReaders(wh: Warehouse, loaded: LoadedManifest, targets: readonly ReaderTarget[], opts: ReadersOptions): Promise<ReadersReport> {
  const now = opts.now ?? new Date();
  const { project, location } = loaded.manifest;
  const names = targets.map((t) => t.name);
  const fetched = await fetchJobs(wh, wh, { location, days: opts.days, names }, now, opts.queryOptions);
  const linter = createLinter(loaded);
  const index = indexNames(project, names);
  const byName = new Map<string, Map<string, Reader>>(names.map((n) => [n, new Map()]));
  const jobs = [...fetched.own, ...(fetched.others ?? [])];
  for (const job of jobs) {
    for (const [name, via] of namesReadBy(job, index, linter)) {
      const readers = byName.get(name)!;
      const key = `${job.project}\u0000${job.principal}`;
      const r = readers.get(key) ?? { principal: job.principal, project: job.project, jobs: 0, lastRead: job.created, sampleJobId: job.jobId, cacheHits: 0, via: [] };
      r.jobs++;
      if (job.cacheHit) r.cacheHits++;
      if (job.created >= r.lastRead) {
        r.lastRead = job.created;
        r.sampleJobId = job.jobId;
      }
      for (const v of via) if (!r.via.includes(v)) r.via.push(v);
      readers.set(key, r);
    }
  }
  const local = wh.kind === 'local';
  const othersVerified = local || fetched.others !== undefined;
  const coverage: ReadersReport['coverage'] = {
    ownProject: fetched.ownSource,
    otherProjects: othersVerified ? 'verified' : 'not verified',
    ...(local ? { otherProjectsReason: 'the local warehouse holds one project' } : fetched.othersError ? { otherProjectsReason: `INFORMATION_SCHEMA.JOBS_BY_ORGANIZATION could not be read: ${fetched.othersError}` } : {}),
  };
  // Other projects' reads of a view are listed under its base tables; without their query text a shim's readers there cannot be told apart.
  const shimBlind = !local && othersVerified && !fetched.othersHaveText;
  const out: NameReaders[] = targets.map((t) => {
    const readers = [...byName.get(t.name)!.values()].sort((a, b) => b.lastRead.localeCompare(a.lastRead) || a.principal.localeCompare(b.principal));
    const jobCount = readers.reduce((n, r) => n + r.jobs, 0);
    const otherProjects = !othersVerified || (shimBlind && t.shim) ? 'not verified' : 'verified';
    return {
      ...t,
      readers,
      jobs: jobCount,
      ...(readers[0] ? { lastRead: readers[0].lastRead } : {}),
      otherProjects,
      quiet: readers.length === 0 && otherProjects === 'verified',
    };
  });
  const notes: string[] = [];
  if (local) {
    notes.push('The local warehouse records only what runs through bqmigrate on this file (bqmigrate query, phases, the editor); reads by other DuckDB clients are not seen.');
  } else {
    notes.push('Cache-hit jobs have empty referenced_tables: they are found only by scanning their query text with the reference scanner, and are counted when it names a legacy name.');
    notes.push("A read through a view is listed under the view's base tables: reads of a shim are found by their query text.");
    if (!othersVerified) notes.push('Not verified for other projects: jobs run in other projects do not appear in the project\'s own JOBS view.');
    if (shimBlind && targets.some((t) => t.shim)) notes.push('JOBS_BY_ORGANIZATION has no query text: reads of shims from other projects cannot be seen, so shims stay "not verified for other projects".');
  }
  notes.push('A read through another view or routine that names a legacy name is attributed to that object, not to its readers: `bqmigrate definitions pull` lists those.');
  return {
    version: 1,
    generatedAt: now.toISOString(),
    backend: wh.kind,
    project,
    days: opts.days,
    since: new Date(now.getTime() - opts.days * DAY_MS).toISOString(),
    jobsScanned: jobs.length,
    cacheHitJobs: jobs.filter((j) => j.cacheHit).length,
    coverage,
    names: out,
    notes,
  };
}

/** Readers of every legacy name of the manifest. */
export async function findReaders(wh: Warehouse, loaded: LoadedManifest, opts: ReadersOptions): Promise<ReadersReport> {
  const now = opts.now ?? new Date();
  return searchReaders(wh, loaded, await manifestTargets(wh, loaded, now), { ...opts, now });
}
