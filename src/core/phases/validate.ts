/**
 * The migration's validation checks: row counts (legacy or its archive vs new), date range
 * preserved, identical schemas across a templated family (the five horizons), no empty
 * targets, and the manifest's own SQL checks that must return zero rows. Writes
 * `.bqmigrate/validation-latest.json` atomically.
 */
import { tableMappingAt } from '../manifest/schema';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendAll, maxOf } from '../arrays';
import { writeGeneratedFile } from '../fix/write';
import type { LoadedManifest } from '../manifest/load';
import type { TableId, TableInfo, Warehouse } from '../warehouse/types';
import { expandMappings, familyLabel, placeholders } from './expand';
import { tableKey } from './identifiers';
import { countRows, scanFilter } from './row-count';
import { METADATA_COLUMNS, minMaxSql } from './sql';
import { contentChecks } from './checks/content-check';
import { columnChecks } from './checks/column-check';
import { ColumnCatalog } from '../columns/catalog';
import { columnBuildOf } from './column-build';
import { metadataChecks } from './checks/metadata-check';
import { ledgerChecks } from './checks/ledger-check';
import { readJournal, stateDir } from './journal';
import { buildLedger, ledgerArchiveOf } from './ledger';
import { OWN_VIEW_NOTE } from './steps/common';
import { takeSnapshot } from './snapshot';
import type { ValidationCheck, ValidationReport } from './types';

export const VALIDATION_FILE = 'validation-latest.json';
const DATE_COLUMNS = ['date', 'as_of_date', 'trade_date'];
/** Mapping statuses that say the new table was built, and that the legacy name was shimmed (or the shim dropped). */
const MIGRATED: readonly string[] = ['migrated', 'shimmed', 'archived'];
const SHIMMED: readonly string[] = ['shimmed', 'archived'];
/** Metadata the local warehouse does not have: such checks are reported as skipped there. */
const BIGQUERY_ONLY = /__TABLES__|__TABLES_SUMMARY__|INFORMATION_SCHEMA\.(?:JOBS|TABLE_STORAGE|PARTITIONS)\w*/i;

export interface ValidateOptions {
  today?: Date;
  signal?: AbortSignal;
  labels?: { run: string; phase: string; step: string };
  /** Bytes the content checks may process in all; a pair past it is "not validated". */
  maxContentBytes?: number;
  /** Write .bqmigrate/validation-latest.json (default true). */
  write?: boolean;
}

export async function validateMigration(wh: Warehouse, loaded: LoadedManifest, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const manifest = loaded.manifest;
  const snapshot = await takeSnapshot(wh, loaded);
  const { mappings } = expandMappings(manifest, snapshot, opts.today ?? new Date());
  const checks: ValidationCheck[] = [];
  const q = async (sql: string) => (await wh.query(sql, { labels: opts.labels, signal: opts.signal })).rows;
  const count = (id: TableId) => countRows(wh, id, q);
  const families = new Map<number, { to: string; info: TableInfo }[]>();
  const history = readJournal(loaded.root);
  const tableOf = (id: TableId) => snapshot.tables?.[tableKey(id)];
  const content = { wh, loaded, labels: opts.labels, signal: opts.signal, ...(opts.maxContentBytes !== undefined ? { budget: { left: opts.maxContentBytes } } : {}) };
  const compareContent = manifest.validation.content;
  const catalog = new ColumnCatalog(manifest);
  if (!compareContent) checks.push({ id: 'content', subject: 'content', description: 'content of every pair', pass: true, skipped: true, detail: 'not validated: "validation.content" is false in the manifest' });

  // What the journal says was made is checked first, whatever the warehouse holds now.
  const ledger = buildLedger(loaded, history, wh.kind);
  appendAll(checks, await ledgerChecks(wh, ledger));

  for (const m of mappings) {
    const family = familyLabel(manifest, m.mappingIndex);
    const status = manifest.mappings[m.mappingIndex]?.status ?? 'planned';
    const legacyType = snapshot.objects[tableKey(m.legacy)];
    const archiveType = snapshot.objects[tableKey(m.archive)];
    const madeArchive = ledgerArchiveOf(ledger, m.from);
    const madeShim = ledger.get(m.from)?.role === 'shim';
    // A view on a legacy name is a shim only if the journal says bqmigrate made it (a wildcard's "shimmed" also covers views of the team's own).
    const claimsShim = madeShim || (SHIMMED.includes(status) && legacyType !== 'VIEW');
    // A view of its own on a legacy name is not migrated (see OWN_VIEW_NOTE): said, not silently passed over.
    if (legacyType === 'VIEW' && !archiveType && !madeShim && !madeArchive) {
      checks.push({ id: `exists:${m.to}`, family, subject: m.from, description: 'migrated', pass: true, skipped: true, detail: `not validated: ${m.from} ${OWN_VIEW_NOTE}` });
      continue;
    }
    const target = await wh.getTable(m.target);
    // Once the legacy name is a shim (or gone behind a new table), the archive copy holds the only legacy rows: it must be there.
    if (!archiveType && !madeArchive && !m.sql && (claimsShim || (legacyType === undefined && target))) {
      const why = madeShim ? 'the journal says bqmigrate shimmed it' : claimsShim ? `the manifest says "${status}"` : `${m.from} is gone`;
      checks.push({ id: `archive:${m.from}`, family, subject: tableKey(m.archive), description: 'archive copy exists', legacy: legacyType ?? '(gone)', pass: false, detail: `archive copy ${tableKey(m.archive)} is missing: ${why}, so it holds the only copy of the legacy rows` });
    }
    if (!target) {
      const madeTarget = ledger.get(m.to)?.role === 'target';
      if (madeTarget) {
        // The ledger check above fails for it, naming the step that made it.
      } else if (legacyType || archiveType) {
        checks.push({ id: `exists:${m.to}`, family, subject: m.to, description: 'exists', pass: false, detail: 'not created yet (run create-targets)' });
      } else if (MIGRATED.includes(status)) {
        checks.push({ id: `exists:${m.to}`, family, subject: m.to, description: 'exists', pass: false, detail: `the manifest says "${status}" but neither ${m.to}, ${m.from} nor its archive copy ${tableKey(m.archive)} is in the ${wh.kind} warehouse` });
      } else {
        checks.push({ id: `exists:${m.to}`, family, subject: m.to, description: 'exists', pass: true, skipped: true, detail: `not validated: neither ${m.from}, its archive copy nor ${m.to} is in the ${wh.kind} warehouse (nothing migrated yet)` });
      }
      appendAll(checks, metadataChecks(loaded, history, m, { legacy: tableOf(m.legacy), archive: tableOf(m.archive) }, family));
      if (compareContent) appendAll(checks, await contentChecks(content, m, snapshot.objects, false, family));
      continue;
    }
    const source: TableId | undefined = legacyType === 'TABLE' ? m.legacy : snapshot.objects[tableKey(m.archive)] ? m.archive : undefined;
    const newRows = await count(m.target);
    const oldRows = source && !m.sql ? await count(source) : undefined;
    // An empty target is a failed build, unless its legacy table was empty too (then it is reported, not failed).
    const emptyOk = newRows === 0 && oldRows === 0;
    checks.push({
      id: `not-empty:${m.to}`,
      family,
      subject: m.to,
      description: 'not empty',
      new: newRows,
      pass: newRows > 0 || emptyOk,
      detail: newRows > 0 ? `${newRows} rows` : emptyOk ? `empty, as ${tableKey(source!)} was: consider dropping it instead of migrating it` : 'the new table has no rows',
    });
    if (source && oldRows !== undefined) {
      checks.push({
        id: `row-count:${m.to}`,
        family,
        subject: m.to,
        description: `row count = ${source === m.archive ? 'archive' : 'legacy'}`,
        legacy: oldRows,
        new: newRows,
        pass: oldRows === newRows,
        detail: oldRows === newRows ? 'equal' : `${newRows - oldRows > 0 ? '+' : ''}${newRows - oldRows} rows`,
      });
      const sourceInfo = await wh.getTable(source);
      const dateCol = DATE_COLUMNS.find((c) => target.schema.some((s) => s.name === c) && sourceInfo?.schema.some((s) => s.name === c));
      if (dateCol) {
        const [a, b] = [(await q(minMaxSql(wh, source, dateCol, scanFilter(wh, tableOf(source)))))[0], (await q(minMaxSql(wh, m.target, dateCol, scanFilter(wh, tableOf(m.target)))))[0]];
        const range = (r: Record<string, unknown> | undefined) => `${String(r?.min_value ?? '∅')} … ${String(r?.max_value ?? '∅')}`;
        const pass = range(a) === range(b);
        checks.push({ id: `date-range:${m.to}`, family, subject: m.to, description: `${dateCol} range preserved`, legacy: range(a), new: range(b), pass, detail: pass ? 'same range' : 'ranges differ' });
      }
    }
    if (snapshot.objects[tableKey(m.archive)]) {
      const archived = await count(m.archive);
      const legacyRows = legacyType === 'TABLE' ? await count(m.legacy) : undefined;
      const pass = legacyRows === undefined ? archived > 0 || newRows === 0 : legacyRows === archived;
      checks.push({ id: `archive:${m.from}`, family, subject: tableKey(m.archive), description: "archive copy matches legacy", legacy: legacyRows ?? '(shimmed)', new: archived, pass, detail: pass ? `${archived} rows` : 'archive copy does not match' });
    }
    // Column mappings: the new table's columns and each canonical column's values, against the source they were built from.
    const sourceInfo = source ? tableOf(source) : undefined;
    const built = sourceInfo && !m.sql ? columnBuildOf(loaded, m, sourceInfo.schema, catalog) : undefined;
    if (built && source) appendAll(checks, await columnChecks({ wh, labels: opts.labels, signal: opts.signal }, m.to, built, source, sourceInfo, m.target, target, tableMappingAt(manifest, m.mappingIndex)?.key, family));
    const renamedColumns = built && !built.problems.length ? built : undefined;
    appendAll(checks, metadataChecks(loaded, history, m, { legacy: tableOf(m.legacy), archive: tableOf(m.archive), target }, family, renamedColumns ? { renamed: renamedColumns.renamed, unmatched: renamedColumns.unmatchedSources } : undefined));
    const correspondence = renamedColumns ? { renamed: Object.fromEntries(renamedColumns.canonical.filter((c) => c.combine === 'rename').map((c) => [c.sources[0]!, c.to])), ignore: renamedColumns.canonical.filter((c) => c.combine !== 'rename').flatMap((c) => [...c.sources, c.to]) } : undefined;
    if (compareContent) appendAll(checks, await contentChecks(content, m, snapshot.objects, true, family, correspondence));
    const list = families.get(m.mappingIndex) ?? [];
    list.push({ to: m.to, info: target });
    families.set(m.mappingIndex, list);
  }

  for (const [index, members] of families) {
    // Only templated families (placeholders from `variables`, like the five horizons) must share a schema; wildcards map unrelated tables.
    const from = tableMappingAt(manifest, index)?.from ?? '';
    if (members.length < 2 || placeholders(from).some((p) => !manifest.variables[p])) continue;
    const shape = (i: TableInfo) => i.schema.filter((c) => !(METADATA_COLUMNS as readonly string[]).includes(c.name)).map((c) => `${c.name}:${c.type}`).join(',');
    const reference = shape(members[0]!.info);
    const differing = members.filter((m) => shape(m.info) !== reference).map((m) => m.to);
    const family = familyLabel(manifest, index);
    checks.push({
      id: `schema:${family}`,
      family,
      subject: family,
      description: `same schema across ${members.length} tables`,
      new: members.length,
      pass: differing.length === 0,
      detail: differing.length === 0 ? `${members[0]!.info.schema.length} columns, same names, order and types` : `differs from ${members[0]!.to}: ${differing.join(', ')}`,
    });
  }

  for (const c of manifest.checks) {
    const sql = c.sql;
    const bigQueryOnly = wh.kind === 'local' ? BIGQUERY_ONLY.exec(sql)?.[0] : undefined;
    if (bigQueryOnly) {
      checks.push({ id: `check:${c.id}`, subject: `check ${c.id}`, description: c.description ?? c.id, pass: true, skipped: true, detail: `skipped: reads BigQuery-only metadata (${bigQueryOnly}); runs with --backend bigquery` });
      continue;
    }
    try {
      const rows = await q(sql);
      checks.push({ id: `check:${c.id}`, subject: `check ${c.id}`, description: c.description ?? c.id, new: rows.length, pass: rows.length === 0, detail: rows.length === 0 ? 'no rows' : `${rows.length} offending row(s), first: ${JSON.stringify(rows[0], bigintSafe)}` });
    } catch (err) {
      checks.push({ id: `check:${c.id}`, subject: `check ${c.id}`, description: c.description ?? c.id, pass: false, detail: `query failed: ${(err as Error).message.split('\n')[0]}` });
    }
  }

  const report: ValidationReport = { ts: new Date().toISOString(), backend: wh.kind, checks, passed: checks.filter((c) => c.pass && !c.skipped).length, failed: checks.filter((c) => !c.pass).length, skipped: checks.filter((c) => c.skipped).length };
  if (report.passed === 0 && report.failed === 0) report.nothingValidated = nothingValidatedReason(report, mappings.length, manifest.checks.length);
  if (opts.write !== false) writeGeneratedFile(path.join(stateDir(loaded.root), VALIDATION_FILE), JSON.stringify(report, bigintSafe, 2) + '\n');
  return report;
}

/** Why a report has no passed and no failed check: zero checks run is not a pass. */
function nothingValidatedReason(report: ValidationReport, mappings: number, manifestChecks: number): string {
  if (report.checks.length === 0) return mappings === 0 && manifestChecks === 0 ? 'the manifest maps no table and has no "checks", and the journal records nothing made' : `none of the ${mappings} mapped table(s) is in the ${report.backend} warehouse and the journal records nothing made`;
  return `all ${report.checks.length} check(s) were skipped (see their reasons): nothing in the ${report.backend} warehouse could be checked`;
}

/** A report that passes: something was checked and nothing failed. */
export function validationPassed(report: ValidationReport): boolean {
  return report.failed === 0 && !report.nothingValidated;
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}


export function readValidationReport(manifestDir: string): ValidationReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir(manifestDir), VALIDATION_FILE), 'utf8')) as ValidationReport;
  } catch {
    return undefined;
  }
}

/** The report as an aligned text table (CLI) — the editor renders the same rows as markdown. */
export function formatValidationTable(report: ValidationReport, markdown = false): string {
  const header = ['result', 'table', 'check', 'legacy', 'new', 'detail'];
  const rows = report.checks.map((c) => [c.skipped ? 'SKIP' : c.pass ? 'PASS' : 'FAIL', c.subject ?? '', c.description, String(c.legacy ?? ''), String(c.new ?? ''), c.detail]);
  const summary = `${report.passed} passed, ${report.failed} failed${report.skipped ? `, ${report.skipped} skipped` : ''} (${report.checks.length} checks, ${report.backend} warehouse)${report.nothingValidated ? `\nnothing was validated: ${report.nothingValidated}` : ''}`;
  if (markdown) {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const icon = (r: string) => (r === 'PASS' ? '✅ PASS' : r === 'FAIL' ? '❌ FAIL' : '⏭ SKIP');
    return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${[icon(r[0]!), ...r.slice(1).map((v) => (v ? `${esc(v)}` : ''))].join(' | ')} |`), '', `**${summary}**`].join('\n');
  }
  const widths = header.map((h, i) => maxOf(rows.map((r) => r[i]!.length), h.length));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', summary].join('\n');
}
