/**
 * `archive`: copy each legacy table to `archive.<legacy_{date}__{dataset}__{table}>` with the
 * metadata columns archived_date, original_location, migration_version — keeping the legacy
 * table's partitioning, clustering, descriptions, labels and policy tags, with no expiration.
 * The copy goes to a temporary name, gets its metadata, is verified row for row by count, and
 * only then renamed: the archive name exists only for verified copies, so re-running skips
 * them. The partition-filter requirement is set last (the counts would need a filter).
 */
import { scanFilter } from '../row-count';
import { version } from '../../../../package.json';
import { createTableClauses, INGESTION_TIME, parsePartitioning } from '../../warehouse/table-meta';
import type { TableInfo } from '../../warehouse/types';
import { tempName } from '../expand';
import { tableKey } from '../identifiers';
import { applyPartitionFilter, carryMetadata, expectedArchive, recordedMetadata, withMetadataNote } from '../metadata';
import { archiveColumnsSql, archiveCopySql, copyJobNote, dropTableSql, patchNote, renameSql } from '../sql';
import type { ActionContext, ActionOutcome, ConcreteMapping, PlannedAction } from '../types';
import { copyByJob, dropShortCopy, exec, objectType, rowCount, isOwnView, nothingThere, OWN_VIEW_NOTE, selectMappings, snapshotType, TablesFilterOptions, type BuiltinStep, type StepPlanContext } from './common';

export const ARCHIVE_ACTION = 'archive:';

/** An ingestion-time partitioned table is archived through a copy job (CREATE TABLE … AS SELECT would lose its partitions). */
const byCopyJob = (info: TableInfo | undefined) => {
  const p = parsePartitioning(info?.partitioning);
  return p?.kind === 'time' && p.field === INGESTION_TIME;
};

function archiveAction(ctx: StepPlanContext, m: ConcreteMapping): PlannedAction {
  const migrationVersion = ctx.loaded.manifest.archive.migrationVersion ?? `bqmigrate-${version}`;
  const temp = { dataset: m.archive.dataset, table: tempName(m.archive.table) };
  const planned = ctx.snapshot.tables?.[tableKey(m.legacy)];
  const viaCopy = byCopyJob(planned);
  const clauses = planned ? createTableClauses(ctx.target.dialect, { partitioning: planned.partitioning, clustering: planned.clustering, schema: planned.schema, options: expectedArchive(planned).options }) : [];
  const copy = archiveCopySql(ctx.target, m.legacy, temp, ctx.date, migrationVersion, clauses, scanFilter(ctx.target, planned));
  const addColumns = archiveColumnsSql(ctx.target, m.legacy, temp, ctx.date, migrationVersion);
  const rename = renameSql(ctx.target, temp, m.archive.table);
  const filter = planned?.requirePartitionFilter ? [patchNote(m.archive, 'require partition filter')] : [];
  const build = viaCopy ? [copyJobNote(m.legacy, temp), ...addColumns] : [copy];
  return {
    id: `${ARCHIVE_ACTION}${m.from}`,
    title: `archive ${m.from} → ${tableKey(m.archive)}`,
    sql: [
      ...build,
      patchNote(temp, `description, labels, column descriptions and policy tags of ${m.from}; no expiration`),
      `-- verify: row count of ${tableKey(temp)} equals ${m.from}`,
      rename,
      ...filter,
    ],
    destructive: false,
    mapping: m,
    async execute(a) {
      const out: ActionOutcome = {};
      const legacyType = await objectType(a, m.legacy);
      const archiveType = await objectType(a, m.archive);
      if (archiveType) {
        const archived = await rowCount(a, m.archive, out);
        a.note({ archive: tableKey(m.archive) });
        if (legacyType !== 'TABLE') return { ...out, skipped: true, rows: archived, detail: `already archived (${archived} rows); legacy name is ${legacyType ? 'a view' : 'gone'}` };
        const legacyRows = await rowCount(a, m.legacy, out);
        if (legacyRows !== archived) {
          throw new Error(`${tableKey(m.archive)} exists with ${archived} rows but ${m.from} now has ${legacyRows}; the legacy table changed after it was archived — inspect both, drop the archive copy if it is stale, then run again`);
        }
        // A run interrupted after the rename may not have carried everything over yet.
        const source = (await a.wh.getTable(m.legacy))!;
        const expected = expectedArchive(source);
        const carried = await carryMetadata(a, source, m.archive, expected, { partitionFilter: true });
        return withMetadataNote({ ...out, skipped: carried.length === 0, rows: archived }, `already archived and verified (${archived} rows)`, carried);
      }
      if (legacyType !== 'TABLE') throw new Error(`${m.from} is ${legacyType ? `a ${legacyType.toLowerCase()}` : 'missing'} and has no archive copy ${tableKey(m.archive)}; nothing to archive from`);
      const source = (await a.wh.getTable(m.legacy))!;
      a.note({ sourceMetadata: recordedMetadata(source) });
      const expected = expectedArchive(source);
      if (byCopyJob(source)) {
        await copyByJob(a, m.legacy, temp, out);
        for (const s of addColumns) await exec(a, s, out);
      } else {
        await exec(a, liveCopySql(a, ctx, m, temp, source, migrationVersion, copy, planned), out);
      }
      const carried = await carryMetadata(a, source, temp, expected);
      const legacyRows = await rowCount(a, m.legacy, out);
      const copied = await rowCount(a, temp, out);
      if (copied !== legacyRows) await dropShortCopy(a, temp, out, `archive copy of ${m.from} has ${copied} rows, the legacy table ${legacyRows}; the copy was dropped — run again`);
      a.note({ copiedRows: copied, temp: tableKey(temp) });
      await exec(a, rename, out);
      const final = await rowCount(a, m.archive, out);
      if (final !== legacyRows) throw new Error(`${tableKey(m.archive)} has ${final} rows after the rename, expected ${legacyRows}`);
      a.note({ verifiedRows: final, archive: tableKey(m.archive) });
      if (await applyPartitionFilter(a, m.archive, expected)) carried.push('require partition filter');
      return withMetadataNote({ ...out, rows: final }, `${final} rows archived and verified`, carried);
    },
  };
}


/** The planned statement, unless the legacy table's layout changed since the plan: then the same statement for what it is now. */
function liveCopySql(a: ActionContext, ctx: StepPlanContext, m: ConcreteMapping, temp: { dataset: string; table: string }, source: TableInfo, migrationVersion: string, planned: string, plannedInfo: TableInfo | undefined): string {
  const same = plannedInfo && plannedInfo.partitioning === source.partitioning && (plannedInfo.clustering ?? []).join() === (source.clustering ?? []).join();
  if (same) return planned;
  const clauses = createTableClauses(a.wh.dialect, { partitioning: source.partitioning, clustering: source.clustering, schema: source.schema, options: expectedArchive(source).options });
  return archiveCopySql(a.wh, m.legacy, temp, ctx.date, migrationVersion, clauses, scanFilter(a.wh, source));
}

export const archiveStep: BuiltinStep = {
  name: 'archive',
  title: 'Archive legacy tables',
  destructive: false,
  options: TablesFilterOptions,
  plan(ctx) {
    const notes: string[] = [];
    const actions: PlannedAction[] = [];
    const missing: string[] = [];
    for (const m of selectMappings(ctx)) {
      if (isOwnView(ctx, m)) {
        notes.push(`${m.from} ${OWN_VIEW_NOTE}`);
        continue;
      }
      if (!m.legacyExists && !snapshotType(ctx, m.archive)) {
        notes.push(`${m.from}: not in the warehouse and not archived; skipped`);
        missing.push(m.from);
        continue;
      }
      actions.push(archiveAction(ctx, m));
    }
    if (!ctx.loaded.manifest.archive.date) notes.push(`archive.date is not set; using ${ctx.date} (set it in bqmigrate.json so every run uses the same archive names)`);
    return { actions, notes, blockers: nothingThere(actions, missing, 'archive') };
  },
  rollback(ctx) {
    const actions: PlannedAction[] = selectMappings(ctx)
      .filter((m) => snapshotType(ctx, m.archive))
      .map((m) => ({
        id: `unarchive:${m.from}`,
        title: `drop archive copy ${tableKey(m.archive)} (only while ${m.from} still holds the same rows)`,
        sql: [`-- verify: ${m.from} is a table with the archive's row count`, dropTableSql(ctx.target, m.archive)],
        destructive: true,
        mapping: m,
        async execute(a) {
          const out: ActionOutcome = {};
          if ((await objectType(a, m.archive)) === undefined) return { skipped: true, detail: 'no archive copy' };
          if ((await objectType(a, m.legacy)) !== 'TABLE') return { skipped: true, detail: `kept: ${m.from} is not a table, the archive copy is the only one` };
          const [legacyRows, archived] = [await rowCount(a, m.legacy, out), await rowCount(a, m.archive, out)];
          if (legacyRows !== archived) return { ...out, skipped: true, detail: `kept: ${m.from} has ${legacyRows} rows, the archive ${archived}` };
          await exec(a, dropTableSql(a.wh, m.archive), out);
          return { ...out, rows: archived, detail: 'archive copy dropped; legacy table intact' };
        },
      }));
    // Statuses stay: dropping a redundant archive copy does not undo the targets or shims.
    return { actions, notes: [] };
  },
};
