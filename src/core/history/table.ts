/**
 * The run history in the warehouse: `<project>.<history.dataset>.history`, one row per journal
 * event, written through `Warehouse.query` with the event's text as query parameters, so BigQuery
 * and the local DuckDB file run the same statements. An insert skips ids the table already holds:
 * an upload retried after a dropped connection, or repeated by a later run, never duplicates a row.
 */
import type { LoadedManifest } from '../manifest/load';
import type { JournalEvent } from '../phases/types';
import { WarehouseError } from '../warehouse/errors';
import type { TableId, Warehouse } from '../warehouse/types';

/** Who ran, with what: recorded on every row a run uploads. */
export interface RunIdentity {
  principal: string;
  host: string;
  manifestHash: string;
  version: string;
}

export interface HistoryRow {
  event: JournalEvent;
  /** Order within the journal that wrote it (events of one millisecond keep their order). */
  seq: number;
  identity: RunIdentity;
}

/** The history dataset's name: bqmigrate's own, never a legacy or unknown dataset. */
export function historyDataset(loaded: LoadedManifest): string {
  return loaded.manifest.history.dataset;
}

export function historyTable(loaded: LoadedManifest): TableId {
  return { dataset: historyDataset(loaded), table: 'history' };
}

/** Whether a dataset is bqmigrate's own (inventory, snapshots and listings leave it out). */
export function isHistoryDataset(loaded: LoadedManifest | undefined, dataset: string): boolean {
  return loaded !== undefined && dataset === historyDataset(loaded);
}

const ensured = new WeakMap<Warehouse, Set<string>>();

/** The history table's DDL (idempotent). */
export function createHistorySql(wh: Warehouse, loaded: LoadedManifest): string {
  return `CREATE TABLE IF NOT EXISTS ${wh.dialect.table(historyTable(loaded))} (id STRING NOT NULL, run_id STRING NOT NULL, seq INT64, ts TIMESTAMP NOT NULL, event STRING NOT NULL, phase STRING, step STRING, action STRING, principal STRING, host STRING, manifest_hash STRING, version STRING, body STRING NOT NULL)`;
}

/** Creates the history dataset when missing. */
export async function ensureHistoryDataset(wh: Warehouse, loaded: LoadedManifest): Promise<void> {
  const key = historyDataset(loaded);
  if (!(await wh.getDataset(key))) await wh.createDataset({ dataset: key, description: 'bqmigrate: the shared run history and run lock (do not edit)' });
}

/** Creates the history dataset and table when missing; once per warehouse connection. */
export async function ensureHistory(wh: Warehouse, loaded: LoadedManifest): Promise<void> {
  const key = historyDataset(loaded);
  const done = ensured.get(wh) ?? new Set<string>();
  if (done.has(key)) return;
  await ensureHistoryDataset(wh, loaded);
  await wh.query(createHistorySql(wh, loaded), { skipDryRun: true });
  markEnsured(wh, loaded);
}

export function markEnsured(wh: Warehouse, loaded: LoadedManifest): void {
  const done = ensured.get(wh) ?? new Set<string>();
  done.add(historyDataset(loaded));
  ensured.set(wh, done);
}

/** Rows per INSERT: a dozen parameters each, well under BigQuery's limits on parameters and statement size. */
export const HISTORY_BATCH = 50;

/** Appends rows whose ids the table does not hold yet; returns how many the warehouse reported inserting. */
export async function insertHistory(wh: Warehouse, loaded: LoadedManifest, rows: readonly HistoryRow[], signal?: AbortSignal): Promise<number> {
  if (rows.length === 0) return 0;
  const { sql, params } = insertHistorySql(wh, loaded, rows);
  const r = await wh.query(sql, { params, signal, skipDryRun: true });
  return r.affectedRows ?? rows.length;
}

/** The INSERT of `rows` (skipping ids the table holds) and its parameters, alone or as part of a script. */
export function insertHistorySql(wh: Warehouse, loaded: LoadedManifest, rows: readonly HistoryRow[]): { sql: string; params: Record<string, unknown> } {
  const table = wh.dialect.table(historyTable(loaded));
  const params: Record<string, unknown> = {};
  const selects = rows.map((r, i) => {
    const e = r.event;
    const p = (name: string, value: string | number) => {
      params[`${name}${i}`] = value;
      return `@${name}${i}`;
    };
    return (
      `SELECT ${p('id', e.id!)} AS id, ${p('run', e.runId)} AS run_id, ${p('seq', r.seq)} AS seq, CAST(${p('ts', e.ts)} AS TIMESTAMP) AS ts, ${p('ev', e.event)} AS event, ` +
      `NULLIF(${p('ph', e.phase ?? '')}, '') AS phase, NULLIF(${p('st', e.step ?? '')}, '') AS step, NULLIF(${p('ac', e.action ?? '')}, '') AS action, ` +
      `${p('who', r.identity.principal)} AS principal, ${p('host', r.identity.host)} AS host, ${p('mh', r.identity.manifestHash)} AS manifest_hash, ${p('ver', r.identity.version)} AS version, ${p('body', JSON.stringify(e))} AS body`
    );
  });
  const sql =
    `INSERT INTO ${table} (id, run_id, seq, ts, event, phase, step, action, principal, host, manifest_hash, version, body)\n` +
    `SELECT * FROM (${selects.join('\nUNION ALL ')}) AS s\nWHERE s.id NOT IN (SELECT id FROM ${table})`;
  return { sql, params };
}

/** One event as the history holds it, with who ran it. */
export interface HistoryEntry {
  event: JournalEvent;
  seq: number;
  principal?: string;
  host?: string;
  manifestHash?: string;
  version?: string;
}

/** The SELECT of every history row, oldest first (alone or as the last statement of a script). */
export function selectHistorySql(wh: Warehouse, loaded: LoadedManifest): string {
  return `SELECT seq, principal, host, manifest_hash, version, body FROM ${wh.dialect.table(historyTable(loaded))} ORDER BY ts, seq`;
}

export function historyEntries(rows: readonly Record<string, unknown>[]): HistoryEntry[] {
  return rows.map((r) => ({
    event: JSON.parse(String(r.body)) as JournalEvent,
    seq: Number(r.seq ?? 0),
    ...(r.principal ? { principal: String(r.principal) } : {}),
    ...(r.host ? { host: String(r.host) } : {}),
    ...(r.manifest_hash ? { manifestHash: String(r.manifest_hash) } : {}),
    ...(r.version ? { version: String(r.version) } : {}),
  }));
}

/** Every event in the history, oldest first; undefined when there is no history table yet. */
export async function readHistory(wh: Warehouse, loaded: LoadedManifest, signal?: AbortSignal): Promise<HistoryEntry[] | undefined> {
  try {
    return historyEntries((await wh.query(selectHistorySql(wh, loaded), { signal, skipDryRun: true })).rows);
  } catch (err) {
    if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
    throw err;
  }
}
