/**
 * The readers report as text, as the exit code, and as `.bqmigrate/readers.json` (written by
 * `bqmigrate readers`, read by the editor's mapping tree and the dashboard).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { writeGeneratedFile } from '../fix/write';
import type { NameReaders, ReadersReport } from './types';

export const READERS_FILE = path.join('.bqmigrate', 'readers.json');

const day = (iso: string) => iso.slice(0, 10);

function nameLine(n: NameReaders): string {
  const what = `${n.name}${n.shim ? ' (shim)' : n.exists ? '' : ' (gone)'}`;
  if (n.readers.length === 0) return `${what}: ${n.quiet ? 'quiet' : 'no reads seen; not verified for other projects'}`;
  const other = n.otherProjects === 'verified' ? '' : '; not verified for other projects';
  return `${what}: still read — ${n.jobs} job(s) by ${n.readers.length} principal(s), last ${n.lastRead}${other}`;
}

/** Human-readable report: one block per legacy name, readers indented, then coverage and notes. */
export function formatReadersReport(r: ReadersReport): string {
  const lines: string[] = [`Readers of legacy names in the last ${r.days} day(s) (since ${r.since}), ${r.backend} warehouse ${r.project}:`];
  for (const n of r.names) {
    lines.push(`  ${nameLine(n)}`);
    for (const x of n.readers) {
      const via = x.via.join(' + ');
      lines.push(`    ${x.principal}${x.project === r.project ? '' : ` (project ${x.project})`}: ${x.jobs} job(s), last ${x.lastRead}, e.g. job ${x.sampleJobId} [${via}${x.cacheHits ? `; ${x.cacheHits} cache hit(s)` : ''}]`);
    }
  }
  const read = r.names.filter((n) => n.readers.length > 0).length;
  const unverified = r.names.filter((n) => n.readers.length === 0 && !n.quiet).length;
  lines.push('');
  lines.push(`${r.names.length} legacy name(s): ${read} still read, ${unverified} not verified, ${r.names.length - read - unverified} quiet. ${r.jobsScanned} job(s) looked at, ${r.cacheHitJobs} of them cache hits.`);
  lines.push(`Own project: ${r.coverage.ownProject}.`);
  lines.push(`Other projects: ${r.coverage.otherProjects === 'verified' ? 'verified' : 'not verified for other projects'}${r.coverage.otherProjectsReason ? ` (${r.coverage.otherProjectsReason})` : ''}.`);
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** 0: every name quiet and verified; 1: a name is still read, or could not be verified. */
export function readersExitCode(r: ReadersReport): 0 | 1 {
  return r.names.every((n) => n.quiet) ? 0 : 1;
}

const Reader = z.object({ principal: z.string(), project: z.string(), jobs: z.number(), lastRead: z.string(), sampleJobId: z.string(), cacheHits: z.number(), via: z.array(z.enum(['referenced_tables', 'query text'])) });
const ReadersFileSchema = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  backend: z.enum(['local', 'bigquery']),
  project: z.string(),
  days: z.number(),
  since: z.string(),
  jobsScanned: z.number(),
  cacheHitJobs: z.number(),
  coverage: z.object({ ownProject: z.string(), otherProjects: z.enum(['verified', 'not verified']), otherProjectsReason: z.string().optional() }),
  names: z.array(
    z.object({
      name: z.string(),
      mappingIndex: z.number(),
      to: z.string(),
      shim: z.boolean(),
      exists: z.boolean(),
      readers: z.array(Reader),
      jobs: z.number(),
      lastRead: z.string().optional(),
      otherProjects: z.enum(['verified', 'not verified']),
      quiet: z.boolean(),
    }),
  ),
  notes: z.array(z.string()),
});

export function writeReadersFile(manifestDir: string, r: ReadersReport): string {
  const file = path.join(manifestDir, READERS_FILE);
  writeGeneratedFile(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

export type ReadersFileResult = { report?: ReadersReport; problem?: string };

/** The last report `bqmigrate readers` wrote; none yet is no problem, a broken file is one (with its path). */
export function readReadersFile(manifestDir: string): ReadersFileResult {
  const file = path.join(manifestDir, READERS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? {} : { problem: `${file}: cannot read the readers report: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problem: `${file}:1:1: the readers report is not valid JSON (${(err as Error).message}); run \`bqmigrate readers\` again` };
  }
  const parsed = ReadersFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${file}:1:1: the readers report: expected ${issue?.path.join('.') || 'value'} to match (${issue?.message}); run \`bqmigrate readers\` again` };
  }
  return { report: parsed.data as ReadersReport };
}

/** Short summary for a tooltip or a badge. */
export function readersSummary(n: NameReaders): string {
  if (n.readers.length === 0) return n.quiet ? 'quiet' : 'not verified for other projects';
  return `still read: ${n.jobs} job(s), last ${day(n.lastRead ?? '')}`;
}
