/**
 * The `content` check family: for each legacy/archive → new pair (and legacy → archive while
 * the legacy table is still there), `diffTables` proves the rows are the same — by the
 * mapping's `key`, or as multisets — ignoring the archive's own columns. Targets built from a
 * SQL file transform their rows on purpose and are not compared. A pair whose comparison could
 * not run within the budget is "not validated": reported, never passed.
 */
import { tableMappingAt } from '../../manifest/schema';
import { diffTables, type DiffReport, type RowDifference } from '../../diff/index';
import type { LoadedManifest } from '../../manifest/load';
import type { JobLabels, TableId, Warehouse } from '../../warehouse/types';
import { tableKey } from '../identifiers';
import { ARCHIVE_ONLY_COLUMNS } from '../metadata';
import type { ConcreteMapping, ContentResult, ValidationCheck } from '../types';

export interface ContentEnv {
  wh: Warehouse;
  loaded: LoadedManifest;
  labels?: JobLabels;
  signal?: AbortSignal;
  /** Bytes all content checks of this validation may process together; shared and drawn down. */
  budget?: { left: number };
}

function sampleLine(d: RowDifference): string {
  const key = d.key ? Object.entries(d.key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : undefined;
  const what = d.kind === 'changed' ? `changed ${(d.columns ?? []).join(', ')}` : d.kind === 'only-in-a' ? 'only in the source' : d.kind === 'only-in-b' ? 'only in the new table' : `${d.countA} vs ${d.countB} rows`;
  const row = !d.key ? ` ${JSON.stringify(d.a ?? d.b ?? {}).slice(0, 160)}` : '';
  return `${key ? `${key}: ` : ''}${what}${row}`;
}

export function contentResult(r: DiffReport): ContentResult {
  return {
    verdict: r.verdict,
    a: r.a,
    b: r.b,
    rowsA: r.rows.a,
    rowsB: r.rows.b,
    differing: r.differences.total,
    ...(r.key ? { key: r.key } : {}),
    tiers: r.tiers.map((t) => ({ tier: t.tier, name: t.name, status: t.status, detail: t.detail })),
    normalisations: r.normalisations,
    sample: r.differences.rows.slice(0, 5).map(sampleLine),
    bytes: r.bytesProcessed,
  };
}

async function compare(env: ContentEnv, id: string, subject: string, description: string, family: string | undefined, a: TableId, b: TableId, key: string[] | undefined, ignore: readonly string[], renamed?: Record<string, string>): Promise<ValidationCheck> {
  const v = env.loaded.manifest.validation;
  try {
    const report = await diffTables(env.wh, a, b, { key, ignore, ...(renamed ? { renamed } : {}), tolerance: v.tolerance, limit: v.limit, labels: env.labels, signal: env.signal, ...(env.budget ? { maxBytes: env.budget.left } : {}) });
    if (env.budget) env.budget.left = Math.max(0, env.budget.left - report.bytesProcessed);
    const content = contentResult(report);
    const detail = [report.summary, ...content.sample.slice(0, 3)].join('; ');
    if (report.verdict === 'not-validated') return { id, family, subject, description, legacy: report.rows.a ?? undefined, new: report.rows.b ?? undefined, pass: true, skipped: true, detail, content };
    return { id, family, subject, description, legacy: report.rows.a ?? undefined, new: report.rows.b ?? undefined, pass: report.verdict === 'equal', detail, content };
  } catch (err) {
    return { id, family, subject, description, pass: false, detail: `comparison failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** A comparison the content check makes, or the reason it cannot. */
export type ContentPair = { id: string; subject: string; description: string; a: TableId; b: TableId; ignore: readonly string[]; renamed?: Record<string, string> } | { id: string; subject: string; description: string; notValidated: string };

/** How the source's columns meet the new table's when column mappings built it: renames compared, consolidations left to the `columns` checks. */
export interface ColumnCorrespondence {
  renamed: Record<string, string>;
  ignore: readonly string[];
}

/**
 * The pairs a mapping's content is checked on: legacy → archive while the legacy table is a
 * table; legacy (or, once shimmed, archive) → new when the new table exists (`targetExists`).
 */
export function contentPairs(m: ConcreteMapping, objects: Record<string, string>, targetExists: boolean, columns?: ColumnCorrespondence): ContentPair[] {
  const legacyIsTable = objects[tableKey(m.legacy)] === 'TABLE';
  const archiveExists = objects[tableKey(m.archive)] !== undefined;
  const out: ContentPair[] = [];
  if (legacyIsTable && archiveExists) out.push({ id: `content:${tableKey(m.archive)}`, subject: tableKey(m.archive), description: 'content = legacy (archive)', a: m.legacy, b: m.archive, ignore: ARCHIVE_ONLY_COLUMNS });
  if (!targetExists) return out;
  const source = legacyIsTable ? m.legacy : archiveExists ? m.archive : undefined;
  const id = `content:${m.to}`;
  if (m.sql) out.push({ id, subject: m.to, description: 'content', notValidated: `built from ${m.sql}, which transforms the rows; row count and date range are checked instead` });
  else if (!source) out.push({ id, subject: m.to, description: 'content', notValidated: `neither ${m.from} nor its archive copy is a table to compare with` });
  else {
    const ignore = [...(source === m.archive ? ARCHIVE_ONLY_COLUMNS : []), ...(columns?.ignore ?? [])];
    const mapped = columns ? ' with column mappings (renamed columns compared; consolidated ones in the columns checks)' : '';
    out.push({ id, subject: m.to, description: `content = ${source === m.archive ? 'archive' : 'legacy'}${mapped}`, a: source, b: m.target, ignore, ...(columns ? { renamed: columns.renamed } : {}) });
  }
  return out;
}

export async function contentChecks(env: ContentEnv, m: ConcreteMapping, objects: Record<string, string>, targetExists: boolean, family: string | undefined, columns?: ColumnCorrespondence): Promise<ValidationCheck[]> {
  const key = tableMappingAt(env.loaded.manifest, m.mappingIndex)?.key;
  const out: ValidationCheck[] = [];
  for (const p of contentPairs(m, objects, targetExists, columns)) {
    if ('notValidated' in p) out.push({ id: p.id, family, subject: p.subject, description: p.description, pass: true, skipped: true, detail: `not validated: ${p.notValidated}` });
    else out.push(await compare(env, p.id, p.subject, p.description, family, p.a, p.b, key, p.ignore, p.renamed));
  }
  return out;
}
