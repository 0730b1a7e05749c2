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

/** Creates the history dataset and table when missing; once per warehouse connection. */
export async function ensureHistory(wh: Warehouse, loaded: LoadedManifest): Promise<void> {
  const key = historyDataset(loaded);
  const done = ensured.get(wh) ?? new Set<string>();
  if (done.has(key)) return;
  if (!(await wh.getDataset(key))) await wh.createDataset({ dataset: key, description: 'bqmigrate: the shared run history and run lock (do not edit)' });
  await wh.query(
    `CREATE TABLE IF NOT EXISTS ${wh.dialect.table(historyTable(loaded))} (id STRING NOT NULL, run_id STRING NOT NULL, seq INT64, ts TIMESTAMP NOT NULL, event STRING NOT NULL, phase STRING, step STRING, action STRING, principal STRING, host STRING, manifest_hash STRING, version STRING, body STRING NOT NULL)`,
  );
  done.add(key);
  ensured.set(wh, done);
}

/** Rows per INSERT: a dozen parameters each, well under BigQuery's limits on parameters and statement size. */
export const HISTORY_BATCH = 50;

/** Appends rows whose ids the table does not hold yet; returns how many the warehouse reported inserting. */
export async function insertHistory(wh: Warehouse, loaded: LoadedManifest, rows: readonly HistoryRow[], signal?: AbortSignal): Promise<number> {
  if (rows.length === 0) return 0;
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
  const r = await wh.query(sql, { params, signal });
  return r.affectedRows ?? rows.length;
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

/** Every event in the history, oldest first; undefined when there is no history table yet. */
export async function readHistory(wh: Warehouse, loaded: LoadedManifest, signal?: AbortSignal): Promise<HistoryEntry[] | undefined> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await wh.query(`SELECT seq, principal, host, manifest_hash, version, body FROM ${wh.dialect.table(historyTable(loaded))} ORDER BY ts, seq`, { signal })).rows;
  } catch (err) {
    if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
    throw err;
  }
  return rows.map((r) => ({
    event: JSON.parse(String(r.body)) as JournalEvent,
    seq: Number(r.seq ?? 0),
    ...(r.principal ? { principal: String(r.principal) } : {}),
    ...(r.host ? { host: String(r.host) } : {}),
    ...(r.manifest_hash ? { manifestHash: String(r.manifest_hash) } : {}),
    ...(r.version ? { version: String(r.version) } : {}),
  }));
}

/** The ids the history holds, for uploading what a run could not. */
export async function historyIds(wh: Warehouse, loaded: LoadedManifest): Promise<Set<string>> {
  const r = await wh.query(`SELECT id FROM ${wh.dialect.table(historyTable(loaded))}`);
  return new Set(r.rows.map((row) => String(row.id)));
}
