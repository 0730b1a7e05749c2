/**
 * `archive`: copy each legacy table to `archive.<legacy_{date}__{dataset}__{table}>` with the
 * metadata columns archived_date, original_location, migration_version. The copy goes to a
 * temporary name, is verified row for row by count, and only then renamed: the archive name
 * exists only for verified copies, so re-running skips them.
 */
import { version } from '../../../../package.json';
import { tempName } from '../expand';
import { tableKey } from '../identifiers';
import { archiveCopySql, dropTableSql, renameSql } from '../sql';
import type { ActionOutcome, ConcreteMapping, PlannedAction } from '../types';
import { exec, objectType, rowCount, isOwnView, OWN_VIEW_NOTE, selectMappings, snapshotType, type BuiltinStep, type StepPlanContext } from './common';

export const ARCHIVE_ACTION = 'archive:';

function archiveAction(ctx: StepPlanContext, m: ConcreteMapping): PlannedAction {
  const migrationVersion = ctx.loaded.manifest.archive.migrationVersion ?? `bqmigrate-${version}`;
  const temp = { dataset: m.archive.dataset, table: tempName(m.archive.table) };
  const copy = archiveCopySql(ctx.target, m.legacy, temp, ctx.date, migrationVersion);
  const rename = renameSql(ctx.target, temp, m.archive.table);
  return {
    id: `${ARCHIVE_ACTION}${m.from}`,
    title: `archive ${m.from} → ${tableKey(m.archive)}`,
    sql: [copy, `-- verify: row count of ${tableKey(temp)} equals ${m.from}`, rename],
    destructive: false,
    mapping: m,
    async execute(a) {
      const out: ActionOutcome = {};
      const legacyType = await objectType(a, m.legacy);
      const archiveType = await objectType(a, m.archive);
      if (archiveType) {
        const archived = await rowCount(a, m.archive, out);
        if (legacyType !== 'TABLE') return { ...out, skipped: true, rows: archived, detail: `already archived (${archived} rows); legacy name is ${legacyType ? 'a view' : 'gone'}` };
        const legacyRows = await rowCount(a, m.legacy, out);
        if (legacyRows === archived) return { ...out, skipped: true, rows: archived, detail: `already archived and verified (${archived} rows)` };
        throw new Error(`${tableKey(m.archive)} exists with ${archived} rows but ${m.from} now has ${legacyRows}; the legacy table changed after it was archived — inspect both, drop the archive copy if it is stale, then run again`);
      }
      if (legacyType !== 'TABLE') throw new Error(`${m.from} is ${legacyType ? `a ${legacyType.toLowerCase()}` : 'missing'} and has no archive copy ${tableKey(m.archive)}; nothing to archive from`);
      await exec(a, copy, out);
      const legacyRows = await rowCount(a, m.legacy, out);
      const copied = await rowCount(a, temp, out);
      if (copied !== legacyRows) {
        await exec(a, dropTableSql(a.wh, temp), out);
        throw new Error(`archive copy of ${m.from} has ${copied} rows, the legacy table ${legacyRows}; the copy was dropped — run again`);
      }
      a.note({ copiedRows: copied, temp: tableKey(temp) });
      await exec(a, rename, out);
      const final = await rowCount(a, m.archive, out);
      if (final !== legacyRows) throw new Error(`${tableKey(m.archive)} has ${final} rows after the rename, expected ${legacyRows}`);
      a.note({ verifiedRows: final, archive: tableKey(m.archive) });
      return { ...out, rows: final, detail: `${final} rows archived and verified` };
    },
  };
}

export const archiveStep: BuiltinStep = {
  name: 'archive',
  title: 'Archive legacy tables',
  destructive: false,
  options: ['tables'],
  plan(ctx) {
    const notes: string[] = [];
    const actions: PlannedAction[] = [];
    for (const m of selectMappings(ctx)) {
      if (isOwnView(ctx, m)) {
        notes.push(`${m.from} ${OWN_VIEW_NOTE}`);
        continue;
      }
      if (!m.legacyExists && !snapshotType(ctx, m.archive)) {
        notes.push(`${m.from}: not in the warehouse and not archived; skipped`);
        continue;
      }
      actions.push(archiveAction(ctx, m));
    }
    if (!ctx.loaded.manifest.archive.date) notes.push(`archive.date is not set; using ${ctx.date} (set it in bqmigrate.json so every run uses the same archive names)`);
    return { actions, notes };
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
