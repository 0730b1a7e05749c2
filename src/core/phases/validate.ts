/**
 * The migration's validation checks: row counts (legacy or its archive vs new), date range
 * preserved, identical schemas across a templated family (the five horizons), no empty
 * targets, and the manifest's own SQL checks that must return zero rows. Writes
 * `.bqmigrate/validation-latest.json` atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import type { TableId, TableInfo, Warehouse } from '../warehouse/types';
import { expandMappings, familyLabel } from './expand';
import { tableKey } from './identifiers';
import { countSql, METADATA_COLUMNS, minMaxSql } from './sql';
import { stateDir } from './journal';
import { takeSnapshot } from './snapshot';
import type { ValidationCheck, ValidationReport } from './types';

export const VALIDATION_FILE = 'validation-latest.json';
const DATE_COLUMNS = ['date', 'as_of_date', 'trade_date'];

export interface ValidateOptions {
  today?: Date;
  signal?: AbortSignal;
  labels?: { run: string; phase: string; step: string };
  /** Write .bqmigrate/validation-latest.json (default true). */
  write?: boolean;
}

export async function validateMigration(wh: Warehouse, loaded: LoadedManifest, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const manifest = loaded.manifest;
  const snapshot = await takeSnapshot(wh, loaded);
  const { mappings } = expandMappings(manifest, snapshot, opts.today ?? new Date());
  const checks: ValidationCheck[] = [];
  const q = async (sql: string) => (await wh.query(sql, { labels: opts.labels, signal: opts.signal })).rows;
  const count = async (id: TableId) => Number((await q(countSql(wh, id)))[0]?.row_count);
  const families = new Map<number, { to: string; info: TableInfo }[]>();

  for (const m of mappings) {
    const family = familyLabel(manifest, m.mappingIndex);
    const target = await wh.getTable(m.target);
    if (!target) {
      if (snapshot.objects[tableKey(m.legacy)] || snapshot.objects[tableKey(m.archive)]) {
        checks.push({ id: `exists:${m.to}`, family, description: `${m.to} exists`, pass: false, detail: 'not created yet (run create-targets)' });
      }
      continue;
    }
    const legacyType = snapshot.objects[tableKey(m.legacy)];
    const source: TableId | undefined = legacyType === 'TABLE' ? m.legacy : snapshot.objects[tableKey(m.archive)] ? m.archive : undefined;
    const newRows = await count(m.target);
    checks.push({ id: `not-empty:${m.to}`, family, description: `${m.to} is not empty`, new: newRows, pass: newRows > 0, detail: newRows > 0 ? `${newRows} rows` : 'the new table has no rows' });
    if (source && !m.sql) {
      const oldRows = await count(source);
      checks.push({
        id: `row-count:${m.to}`,
        family,
        description: `row count ${tableKey(source)} = ${m.to}`,
        legacy: oldRows,
        new: newRows,
        pass: oldRows === newRows,
        detail: oldRows === newRows ? 'equal' : `${newRows - oldRows > 0 ? '+' : ''}${newRows - oldRows} rows`,
      });
      const sourceInfo = await wh.getTable(source);
      const dateCol = DATE_COLUMNS.find((c) => target.schema.some((s) => s.name === c) && sourceInfo?.schema.some((s) => s.name === c));
      if (dateCol) {
        const [a, b] = [(await q(minMaxSql(wh, source, dateCol)))[0], (await q(minMaxSql(wh, m.target, dateCol)))[0]];
        const range = (r: Record<string, unknown> | undefined) => `${String(r?.min_value ?? '∅')} … ${String(r?.max_value ?? '∅')}`;
        const pass = range(a) === range(b);
        checks.push({ id: `date-range:${m.to}`, family, description: `${dateCol} range preserved in ${m.to}`, legacy: range(a), new: range(b), pass, detail: pass ? 'same range' : 'ranges differ' });
      }
    }
    if (snapshot.objects[tableKey(m.archive)]) {
      const archived = await count(m.archive);
      const legacyRows = legacyType === 'TABLE' ? await count(m.legacy) : undefined;
      const pass = legacyRows === undefined ? archived > 0 || newRows === 0 : legacyRows === archived;
      checks.push({ id: `archive:${m.from}`, family, description: `archive copy ${tableKey(m.archive)} holds ${m.from}`, legacy: legacyRows ?? '(shimmed)', new: archived, pass, detail: pass ? `${archived} rows` : 'archive copy does not match' });
    }
    const list = families.get(m.mappingIndex) ?? [];
    list.push({ to: m.to, info: target });
    families.set(m.mappingIndex, list);
  }

  for (const [index, members] of families) {
    if (members.length < 2) continue;
    const shape = (i: TableInfo) => i.schema.filter((c) => !(METADATA_COLUMNS as readonly string[]).includes(c.name)).map((c) => `${c.name}:${c.type}`).join(',');
    const reference = shape(members[0]!.info);
    const differing = members.filter((m) => shape(m.info) !== reference).map((m) => m.to);
    const family = familyLabel(manifest, index);
    checks.push({
      id: `schema:${family}`,
      family,
      description: `identical schemas across ${members.length} tables of ${family}`,
      new: members.length,
      pass: differing.length === 0,
      detail: differing.length === 0 ? `${members[0]!.info.schema.length} columns, same names, order and types` : `differs from ${members[0]!.to}: ${differing.join(', ')}`,
    });
  }

  for (const c of manifest.checks) {
    const sql = c.sql;
    try {
      const rows = await q(sql);
      checks.push({ id: `check:${c.id}`, description: c.description ?? c.id, new: rows.length, pass: rows.length === 0, detail: rows.length === 0 ? 'no rows' : `${rows.length} offending row(s), first: ${JSON.stringify(rows[0], bigintSafe)}` });
    } catch (err) {
      checks.push({ id: `check:${c.id}`, description: c.description ?? c.id, pass: false, detail: `query failed: ${(err as Error).message.split('\n')[0]}` });
    }
  }

  const report: ValidationReport = { ts: new Date().toISOString(), backend: wh.kind, checks, passed: checks.filter((c) => c.pass).length, failed: checks.filter((c) => !c.pass).length };
  if (opts.write !== false) writeJsonAtomic(path.join(stateDir(loaded.root), VALIDATION_FILE), report);
  return report;
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, bigintSafe, 2) + '\n');
  fs.renameSync(tmp, file);
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
  const header = ['', 'check', 'legacy', 'new', 'detail'];
  const rows = report.checks.map((c) => [c.pass ? 'PASS' : 'FAIL', c.description, String(c.legacy ?? ''), String(c.new ?? ''), c.detail]);
  const summary = `${report.passed} passed, ${report.failed} failed (${report.checks.length} checks, ${report.backend} warehouse)`;
  if (markdown) {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`), '', `**${summary}**`].join('\n');
  }
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', summary].join('\n');
}
