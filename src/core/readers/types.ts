/** What `bqmigrate readers` reports: who still reads each legacy name and shim, and how far that was verified. */

/** One job as the readers search sees it (a row of INFORMATION_SCHEMA.JOBS, or of the local warehouse's job log). */
export interface JobRow {
  jobId: string;
  /** user_email on BigQuery; `local:<os user>` on the local warehouse. */
  principal: string;
  /** The project the job ran in. */
  project: string;
  /** ISO time. */
  created: string;
  cacheHit: boolean;
  /** The SQL text; absent where the source has none (JOBS_BY_ORGANIZATION). */
  query?: string;
  /** `project.dataset.table` keys from referenced_tables (empty on cache hits). */
  referenced: string[];
}

/** How a read was found. */
export type ReadEvidence = 'referenced_tables' | 'query text';

export interface Reader {
  principal: string;
  project: string;
  jobs: number;
  /** ISO time of the newest read. */
  lastRead: string;
  /** The newest job's id. */
  sampleJobId: string;
  /** Jobs among `jobs` that were cache hits (found only through their query text). */
  cacheHits: number;
  via: ReadEvidence[];
}

export interface NameReaders {
  /** Legacy `dataset.table`. */
  name: string;
  mappingIndex: number;
  /** The new `dataset.table` it maps to. */
  to: string;
  /** The legacy name is a view now (a shim over the new table). */
  shim: boolean;
  /** Whether it exists in the warehouse at all. */
  exists: boolean;
  readers: Reader[];
  jobs: number;
  lastRead?: string;
  /** Reads from other projects could not be checked for this name (see the report's coverage). */
  otherProjects: 'verified' | 'not verified';
  /** Nobody read it in the window and every source that could show a read was checked. */
  quiet: boolean;
}

export interface ReadersCoverage {
  /** The project's own jobs (JOBS_BY_PROJECT, or the local job log). */
  ownProject: string;
  /** Jobs run in other projects (JOBS_BY_ORGANIZATION). */
  otherProjects: 'verified' | 'not verified';
  /** Why other projects are not verified, when they are not. */
  otherProjectsReason?: string;
}

export interface ReadersReport {
  version: 1;
  generatedAt: string;
  backend: 'local' | 'bigquery';
  project: string;
  days: number;
  /** Start of the window (ISO). */
  since: string;
  /** Jobs of the window that were looked at, and how many of them were cache hits (empty referenced_tables). */
  jobsScanned: number;
  cacheHitJobs: number;
  coverage: ReadersCoverage;
  names: NameReaders[];
  /** What the search cannot see, in plain words; printed with every report. */
  notes: string[];
}
