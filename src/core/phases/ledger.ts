/**
 * The ledger: what the warehouse should hold because the journal says bqmigrate made it —
 * datasets (create-datasets, verify-datasets), archive copies with their verified row counts
 * (archive), new tables (create-targets), shim views (shim-views), legacy tables restored by a
 * rollback — minus what later actions removed (rollbacks, drop-shims) and what a `--reconcile`
 * run recorded as gone. Only runs on the same backend count: a local rehearsal expects nothing
 * of BigQuery. `findDrift` compares the ledger with the warehouse: journal says created,
 * warehouse lacks it (or holds something else, or an archive copy with other rows).
 */
import type { LoadedManifest } from '../manifest/load';
import type { Warehouse } from '../warehouse/types';
import { fillTemplate } from './expand';
import { parseTableName } from './identifiers';
import { unfinishedRun } from './journal';
import type { JournalEvent } from './types';

export type ExpectedRole = 'dataset' | 'archive' | 'target' | 'shim' | 'restored';

export interface ExpectedObject {
  /** `dataset` for a dataset, `dataset.table` for a table or view. */
  name: string;
  role: ExpectedRole;
  /** The object type the warehouse must report; datasets have none. */
  type?: 'TABLE' | 'VIEW';
  /** The legacy `dataset.table` the object belongs to (archive copies, shims, restores). */
  legacy?: string;
  /** Row count verified when it was made; an archive copy is frozen, so it must still hold these rows. */
  rows?: number;
  /** Who made it: `phase/step/action` of which run, when. */
  phase: string;
  step: string;
  action: string;
  runId: string;
  ts: string;
}

export interface Drift {
  expected: ExpectedObject;
  problem: 'missing' | 'wrong-type' | 'rows';
  /** One line naming the object, what is wrong and who made it. */
  detail: string;
}

export type Ledger = Map<string, ExpectedObject>;

const ledgerKey = (role: ExpectedRole, name: string) => (role === 'dataset' ? `dataset ${name}` : name);

/** The archive copy's name for a legacy table, from the manifest's template (journals older than the `archive` note). */
function archiveNameFor(loaded: LoadedManifest, legacy: string, ts: string): string | undefined {
  const id = parseTableName(legacy);
  if (!id) return undefined;
  const { archive } = loaded.manifest;
  const date = archive.date ?? ts.slice(0, 10).replace(/-/g, '');
  return `${archive.dataset}.${fillTemplate(archive.name, { date, dataset: id.dataset, table: id.table })}`;
}

/** Runs by id → backend, from their run-start events. */
function backends(events: readonly JournalEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) if (e.event === 'run-start') out.set(e.runId, String(e.details?.backend ?? 'local'));
  return out;
}

/** Whether a rollback action left its object in place ("kept: …" outcomes). */
const kept = (e: JournalEvent) => e.details?.skipped === true && /^kept\b/.test(String(e.details?.detail ?? ''));

export function buildLedger(loaded: LoadedManifest, events: readonly JournalEvent[], backend: 'local' | 'bigquery'): Ledger {
  const runs = backends(events);
  const ledger: Ledger = new Map();
  // Notes come before their action's end: the archive's name and verified rows per action of a run.
  const notes = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    if (runs.get(e.runId) !== backend) continue;
    if (e.event === 'reconcile') {
      for (const name of (e.details?.forgotten as string[] | undefined) ?? []) ledger.delete(name);
      continue;
    }
    if (!e.action || !e.phase || !e.step) continue;
    const noteKey = `${e.runId}/${e.phase}/${e.step}/${e.action}`;
    if (e.event === 'action-note') {
      notes.set(noteKey, { ...(notes.get(noteKey) ?? {}), ...(e.details ?? {}) });
      continue;
    }
    if (e.event !== 'action-end') continue;
    const note = notes.get(noteKey) ?? {};
    const colon = e.action.indexOf(':');
    if (colon < 0) continue;
    const [verb, subject] = [e.action.slice(0, colon), e.action.slice(colon + 1)];
    const made = { phase: e.phase, step: e.step, action: e.action, runId: e.runId, ts: e.ts };
    const put = (o: Omit<ExpectedObject, keyof typeof made>) => ledger.set(ledgerKey(o.role, o.name), { ...o, ...made });
    switch (verb) {
      case 'dataset':
        put({ name: subject, role: 'dataset' });
        break;
      case 'verify-dataset':
        // Confirms a dataset exists; the step that made it stays its maker.
        if (!ledger.has(ledgerKey('dataset', subject))) put({ name: subject, role: 'dataset' });
        break;
      case 'archive': {
        const name = typeof note.archive === 'string' ? note.archive : archiveNameFor(loaded, subject, e.ts);
        // A re-run that found the copy in place keeps the count verified when it was made.
        const verified = typeof note.verifiedRows === 'number' ? note.verifiedRows : name ? ledger.get(name)?.rows : undefined;
        if (name) put({ name, role: 'archive', type: 'TABLE', legacy: subject, ...(verified !== undefined ? { rows: verified } : {}) });
        break;
      }
      case 'target':
        put({ name: subject, role: 'target', type: 'TABLE' });
        break;
      case 'shim':
        put({ name: subject, role: 'shim', type: 'VIEW', legacy: subject });
        break;
      case 'dropshim':
        ledger.delete(subject);
        break;
      case 'undataset':
        if (!kept(e)) ledger.delete(ledgerKey('dataset', subject));
        break;
      case 'unarchive':
        if (!kept(e)) for (const [k, o] of ledger) if (o.role === 'archive' && o.legacy === subject) ledger.delete(k);
        break;
      case 'untarget':
        if (!kept(e)) ledger.delete(subject);
        break;
      case 'unshim':
      case 'undropshim':
        put({ name: subject, role: 'restored', type: 'TABLE', legacy: subject });
        break;
      default:
        break;
    }
  }
  // An action of the last unfinished run that started and never ended may have left its objects half-changed: resume settles them.
  const open = unfinishedRun(events);
  if (open && runs.get(open.runId) === backend) {
    const ended = new Set(events.filter((e) => e.runId === open.runId && e.event === 'action-end').map((e) => `${e.phase}/${e.step}/${e.action}`));
    for (const e of events) {
      if (e.runId !== open.runId || e.event !== 'action-start' || !e.action || ended.has(`${e.phase}/${e.step}/${e.action}`)) continue;
      const [verb, subject] = [e.action.slice(0, e.action.indexOf(':')), e.action.slice(e.action.indexOf(':') + 1)];
      for (const [k, o] of ledger) if (o.name === subject || (verb === 'unarchive' && o.role === 'archive' && o.legacy === subject)) ledger.delete(k);
    }
  }
  return ledger;
}

/** The archive copy the ledger expects for a legacy table, if any. */
export function ledgerArchiveOf(ledger: Ledger, legacy: string): ExpectedObject | undefined {
  for (const o of ledger.values()) if (o.role === 'archive' && o.legacy === legacy) return o;
  return undefined;
}

export function madeBy(o: ExpectedObject): string {
  return `${o.phase}/${o.step} (${o.action}) in ${o.runId}`;
}

const WHAT: Record<ExpectedRole, string> = { dataset: 'dataset', archive: 'archive copy', target: 'new table', shim: 'shim view', restored: 'restored legacy table' };

export function describeExpected(o: ExpectedObject): string {
  return `${WHAT[o.role]} ${o.name}`;
}

/** Every ledger entry the warehouse does not hold as recorded. Reads dataset and table listings only (no queries). */
export async function findDrift(wh: Warehouse, ledger: Ledger): Promise<Drift[]> {
  if (ledger.size === 0) return [];
  const datasets = new Set((await wh.listDatasets()).map((d) => d.dataset));
  const tables = new Map<string, { type: string; rowCount: number | null }>();
  const wanted = new Set([...ledger.values()].filter((o) => o.role !== 'dataset').map((o) => o.name.split('.')[0]!));
  for (const d of wanted) {
    if (!datasets.has(d)) continue;
    for (const t of await wh.listTables(d)) tables.set(`${t.dataset}.${t.table}`, { type: t.type, rowCount: t.rowCount });
  }
  const out: Drift[] = [];
  for (const o of ledger.values()) {
    const by = `made by ${madeBy(o)}`;
    if (o.role === 'dataset') {
      if (!datasets.has(o.name)) out.push({ expected: o, problem: 'missing', detail: `${describeExpected(o)} is missing (${by})` });
      continue;
    }
    const found = tables.get(o.name);
    if (!found) {
      const ds = o.name.split('.')[0]!;
      out.push({ expected: o, problem: 'missing', detail: `${describeExpected(o)} is missing${datasets.has(ds) ? '' : ` (its dataset ${ds} is gone too)`} (${by})` });
    } else if (o.type && found.type !== o.type) {
      out.push({ expected: o, problem: 'wrong-type', detail: `${describeExpected(o)} is a ${found.type.toLowerCase()}, not a ${o.type.toLowerCase()} (${by})` });
    } else if (o.role === 'archive' && o.rows !== undefined && found.rowCount !== null && found.rowCount !== o.rows) {
      out.push({ expected: o, problem: 'rows', detail: `${describeExpected(o)} holds ${found.rowCount} rows, ${o.rows} were verified when it was made (${by})` });
    }
  }
  return out;
}

/** The journal says things exist that the warehouse lacks; nothing ran. */
export class DriftDetected extends Error {
  override name = 'DriftDetected';
  constructor(
    readonly drift: Drift[],
    command: 'run' | 'rollback',
  ) {
    super(
      `the journal records ${drift.length} object(s) the warehouse no longer holds as made; nothing was changed:\n${drift.map((d) => `  - ${d.detail}`).join('\n')}\n` +
        `put them back, or run the same \`bqmigrate ${command}\` again with --reconcile to record them as gone and plan from what exists (\`bqmigrate status\` lists them)`,
    );
  }
}

/** The names a reconcile forgets: the ledger keys of the drifted objects. */
export function forgottenKeys(drift: readonly Drift[]): string[] {
  return drift.map((d) => ledgerKey(d.expected.role, d.expected.name));
}
