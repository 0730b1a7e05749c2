/**
 * The actions of repoint-definitions and its rollback. Each one journals the object's current
 * definition (the backup) before it changes anything, executes the new statement (or patches the
 * scheduled query), reads the object back and compares, and for a view checks the row count (and,
 * when every table it reads was migrated to a copy, a fingerprint of the rows). A check that fails
 * puts the backup back before the action fails. A resumed action reuses the backup its run journaled
 * first, so a retry never replaces the backup with what it applied itself.
 */
import { kindWords, renderDefinition, sameDefinition } from '../../definitions/ddl';
import type { ScheduledFile } from '../../definitions/files';
import type { Definition, ScheduledQuery, ScheduledQueryUpdate, TableId } from '../../warehouse/types';
import { viewFingerprintSql } from '../sql';
import type { ActionContext, ActionOutcome, PlannedAction } from '../types';
import { exec, rowCount } from './common';

export interface DefinitionBackup {
  definition: Definition;
  /** The statement that re-creates it (what rollback runs). */
  statement: string;
}

export interface ScheduledBackup {
  name: string;
  query: string;
  destinationDataset?: string;
  destinationTable?: string;
}

export interface BackupNote {
  backup: { definition?: DefinitionBackup; scheduled?: ScheduledBackup };
  /** Views: what the view returned before (null when it could not be read). */
  rowsBefore?: number | null;
  fingerprintBefore?: string | null;
  readError?: string;
}

const idOf = (d: Definition): TableId => ({ dataset: d.dataset, table: d.name });
const hasRows = (d: Definition) => d.kind === 'VIEW' || d.kind === 'MATERIALIZED_VIEW';
export const describe = (d: Pick<Definition, 'kind' | 'dataset' | 'name'>) => `${kindWords(d.kind).toLowerCase()} ${d.dataset}.${d.name}`;

/** The first backup journaled for this action in this run (an interrupted attempt's), if any. */
export function firstBackup(a: ActionContext, actionId: string): BackupNote | undefined {
  for (const e of a.history()) {
    if (e.runId === a.runId && e.action === actionId && e.event === 'action-note' && e.details && 'backup' in e.details) return e.details as unknown as BackupNote;
  }
  return undefined;
}

async function measure(a: ActionContext, d: Definition, fingerprint: boolean, out: ActionOutcome): Promise<{ rows: number | null; fingerprint: string | null; error?: string }> {
  try {
    if (fingerprint) {
      const [row] = await exec(a, viewFingerprintSql(a.wh, idOf(d)), out);
      return { rows: Number(row?.row_count), fingerprint: String(row?.fingerprint ?? '') };
    }
    return { rows: await rowCount(a, idOf(d), out), fingerprint: null };
  } catch (err) {
    return { rows: null, fingerprint: null, error: (err as Error).message };
  }
}

/** Re-creates the backup and checks it read back the same; throws (saying where the backup is) if not. */
async function putBack(a: ActionContext, actionId: string, backup: DefinitionBackup, out: ActionOutcome): Promise<void> {
  try {
    await exec(a, backup.statement, out);
    const back = await a.wh.getDefinition(backup.definition.kind, idOf(backup.definition));
    if (back && sameDefinition(back, backup.definition)) return;
    throw new Error('it reads back differently');
  } catch (err) {
    throw new Error(`and putting the previous definition back failed too (${(err as Error).message}); it is in the journal (action ${actionId}): run \`bqmigrate rollback --phase ${a.phase}\``);
  }
}

export function repointDefinitionAction(p: { id: string; rel: string; current: Definition; next: Definition; statement: string; fingerprint: boolean; diff: string }): PlannedAction {
  const { current, next, statement } = p;
  const checks = hasRows(current) ? (p.fingerprint ? 'row count and fingerprint of the rows unchanged' : 'row count unchanged') : 'definition read back';
  return {
    id: p.id,
    title: `repoint ${describe(current)} to ${p.rel}`,
    sql: [`-- journal the current definition of ${current.dataset}.${current.name} (the backup), then:`, statement, `-- verify: read back equals the file; ${checks}`],
    destructive: true,
    diff: p.diff,
    async execute(a) {
      const out: ActionOutcome = {};
      let note = firstBackup(a, p.id);
      const live = await a.wh.getDefinition(current.kind, idOf(current));
      if (!live) throw new Error(`${describe(current)} is no longer in the warehouse; pull the definitions again`);
      if (!note) {
        if (sameDefinition(live, next)) return { skipped: true, detail: 'the warehouse already has the file\'s definition' };
        const before = hasRows(live) ? await measure(a, live, p.fingerprint, out) : undefined;
        note = {
          backup: { definition: { definition: live, statement: renderDefinition(live, a.wh.project) } },
          ...(before ? { rowsBefore: before.rows, fingerprintBefore: before.fingerprint, ...(before.error ? { readError: before.error } : {}) } : {}),
        };
        a.note(note as unknown as Record<string, unknown>);
      }
      const backup = note.backup.definition!;
      if (!sameDefinition(live, next)) await exec(a, statement, out);
      const back = await a.wh.getDefinition(next.kind, idOf(next));
      const fail = async (why: string): Promise<never> => {
        await putBack(a, p.id, backup, out);
        throw new Error(`${describe(next)}: ${why}; the previous definition was put back and verified`);
      };
      if (!back || !sameDefinition(back, next)) await fail('reading it back does not give the file\'s definition');
      if (!hasRows(next)) return { ...out, detail: 'applied and read back' };
      const after = await measure(a, next, p.fingerprint, out);
      if (after.rows === null) await fail(`the new definition cannot be queried (${after.error})`);
      if (note.rowsBefore === null || note.rowsBefore === undefined) {
        return { ...out, rows: after.rows!, detail: `applied and read back; returns ${after.rows} rows (the old definition could not be queried: ${note.readError ?? 'unknown error'}, so nothing to compare)` };
      }
      if (after.rows !== note.rowsBefore) await fail(`it returns ${after.rows} rows, the old definition ${note.rowsBefore}`);
      if (p.fingerprint && note.fingerprintBefore && after.fingerprint !== note.fingerprintBefore) await fail(`it returns ${after.rows} rows as before, but different ones (fingerprint ${after.fingerprint} ≠ ${note.fingerprintBefore})`);
      return { ...out, rows: after.rows!, detail: `applied, read back, ${after.rows} rows as before${p.fingerprint ? ', same rows (fingerprint)' : ''}` };
    },
  };
}

const sameQuery = (a: string, b: string) => a.trimEnd() === b.trimEnd();

/** What changes between a scheduled query and its file (only fields that differ). */
export function scheduledUpdate(current: ScheduledQuery, file: ScheduledFile): ScheduledQueryUpdate {
  const u: ScheduledQueryUpdate = {};
  if (!sameQuery(current.query, file.query)) u.query = file.query;
  if (file.destinationDataset !== undefined && file.destinationDataset !== (current.destinationDataset ?? '')) u.destinationDataset = file.destinationDataset;
  if (file.destinationTable !== undefined && file.destinationTable !== (current.destinationTable ?? '')) u.destinationTable = file.destinationTable;
  return u;
}

function matches(q: ScheduledQuery, want: { query?: string; destinationDataset?: string; destinationTable?: string }): boolean {
  return (want.query === undefined || sameQuery(q.query, want.query)) && (want.destinationDataset === undefined || q.destinationDataset === want.destinationDataset) && (want.destinationTable === undefined || q.destinationTable === want.destinationTable);
}

export function repointScheduledAction(p: { id: string; rel: string; current: ScheduledQuery; update: ScheduledQueryUpdate; diff: string }): PlannedAction {
  const mask = [p.update.query !== undefined || p.update.destinationTable !== undefined ? 'params' : undefined, p.update.destinationDataset !== undefined ? 'destination_dataset_id' : undefined].filter(Boolean).join(',');
  return {
    id: p.id,
    title: `update scheduled query "${p.current.displayName}" from ${p.rel}`,
    sql: [`-- journal the config's current query and destination (the backup), then:`, `-- Data Transfer API: transferConfigs.patch ${p.current.name} updateMask=${mask}`, ...(p.update.query !== undefined ? [p.update.query] : []), ...(p.update.destinationDataset !== undefined || p.update.destinationTable !== undefined ? [`-- destination: ${p.update.destinationDataset ?? p.current.destinationDataset ?? ''}.${p.update.destinationTable ?? p.current.destinationTable ?? ''}`] : []), '-- verify: read back equals the file'],
    destructive: true,
    diff: p.diff,
    async execute(a) {
      const live = await a.wh.getScheduledQuery(p.current.name, { signal: a.signal });
      if (!live) throw new Error(`scheduled query ${p.current.name} is no longer there; pull the definitions again`);
      let note = firstBackup(a, p.id);
      if (!note) {
        if (matches(live, p.update)) return { skipped: true, detail: 'the config already has the file\'s query and destination' };
        note = { backup: { scheduled: { name: live.name, query: live.query, ...(live.destinationDataset !== undefined ? { destinationDataset: live.destinationDataset } : {}), ...(live.destinationTable !== undefined ? { destinationTable: live.destinationTable } : {}) } } };
        a.note(note as unknown as Record<string, unknown>);
      }
      const back = matches(live, p.update) ? live : await a.wh.updateScheduledQuery(p.current.name, p.update, { signal: a.signal });
      const reread = await a.wh.getScheduledQuery(p.current.name, { signal: a.signal });
      if (!reread || !matches(reread, p.update) || !matches(back, p.update)) {
        const b = note.backup.scheduled!;
        await a.wh.updateScheduledQuery(b.name, { query: b.query, destinationDataset: b.destinationDataset, destinationTable: b.destinationTable }, { signal: a.signal });
        throw new Error(`scheduled query "${p.current.displayName}": reading it back does not give the file's query and destination; the previous ones were put back`);
      }
      return { detail: `updated (${mask}) and read back` };
    },
  };
}

/** Rollback: re-create a definition from its journaled backup, read back and compare (and the row count when one was journaled). */
export function restoreDefinitionAction(p: { id: string; note: BackupNote; diff?: string }): PlannedAction {
  const b = p.note.backup.definition!;
  const d = b.definition;
  return {
    id: p.id,
    title: `restore ${describe(d)} from the journal`,
    sql: [b.statement, `-- verify: read back equals the journaled definition${hasRows(d) && typeof p.note.rowsBefore === 'number' ? `; ${p.note.rowsBefore} rows` : ''}`],
    destructive: true,
    ...(p.diff ? { diff: p.diff } : {}),
    async execute(a) {
      const out: ActionOutcome = {};
      const live = await a.wh.getDefinition(d.kind, idOf(d));
      if (!(live && sameDefinition(live, d))) await exec(a, b.statement, out);
      else if (!hasRows(d)) return { skipped: true, detail: 'already the journaled definition' };
      const back = await a.wh.getDefinition(d.kind, idOf(d));
      if (!back || !sameDefinition(back, d)) throw new Error(`${describe(d)} does not read back as the journaled definition after the restore`);
      if (hasRows(d) && typeof p.note.rowsBefore === 'number') {
        const rows = await rowCount(a, idOf(d), out);
        if (rows !== p.note.rowsBefore) throw new Error(`${describe(d)} is restored but returns ${rows} rows, ${p.note.rowsBefore} before the repoint (have its tables changed?)`);
        return { ...out, rows, detail: `restored and read back; ${rows} rows as before` };
      }
      return { ...out, detail: 'restored and read back' };
    },
  };
}

export function restoreScheduledAction(p: { id: string; note: BackupNote; displayName?: string }): PlannedAction {
  const b = p.note.backup.scheduled!;
  const want = { query: b.query, destinationDataset: b.destinationDataset, destinationTable: b.destinationTable };
  return {
    id: p.id,
    title: `restore scheduled query ${p.displayName ? `"${p.displayName}"` : b.name} from the journal`,
    sql: [`-- Data Transfer API: transferConfigs.patch ${b.name} (the journaled query and destination)`, b.query],
    destructive: true,
    async execute(a) {
      const live = await a.wh.getScheduledQuery(b.name, { signal: a.signal });
      if (!live) throw new Error(`scheduled query ${b.name} is no longer there; nothing to restore`);
      if (matches(live, want)) return { skipped: true, detail: 'already the journaled query and destination' };
      await a.wh.updateScheduledQuery(b.name, want, { signal: a.signal });
      const back = await a.wh.getScheduledQuery(b.name, { signal: a.signal });
      if (!back || !matches(back, want)) throw new Error(`scheduled query ${b.name} does not read back as the journaled one after the restore`);
      return { detail: 'restored and read back' };
    },
  };
}
