/**
 * `create-targets`: build each new table from its legacy table (or from the SQL file named
 * in the mapping's `sql`), at a temporary name first, verified, then renamed — so the target
 * name exists only for finished builds and re-running skips them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempName } from '../expand';
import { tableKey } from '../identifiers';
import { copySql, ctasSql, dropTableSql, renameSql, restoreSql, translateForLocal } from '../sql';
import type { ActionOutcome, ConcreteMapping, PlannedAction } from '../types';
import { exec, objectType, rowCount, isOwnView, OWN_VIEW_NOTE, selectMappings, snapshotType, type BuiltinStep, type StepPlanContext } from './common';

/** Reads a mapping's SQL file; the path must stay inside the manifest folder. */
export function readMappingSql(root: string, file: string, kind: 'local' | 'bigquery', project?: string): string {
  const full = path.resolve(root, file);
  const rel = path.relative(root, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${file}: SQL files must be inside the manifest folder`);
  const text = fs.readFileSync(full, 'utf8');
  return kind === 'local' ? translateForLocal(text, project) : text;
}

function targetAction(ctx: StepPlanContext, m: ConcreteMapping): PlannedAction {
  const temp = { dataset: m.target.dataset, table: tempName(m.target.table) };
  let build: string;
  let source = 'legacy';
  let sqlFileError: string | undefined;
  if (m.sql) {
    let select: string;
    try {
      select = readMappingSql(ctx.loaded.root, m.sql, ctx.target.kind, ctx.target.project);
    } catch (err) {
      sqlFileError = `${m.sql}: ${(err as Error).message}`;
      select = `-- cannot read ${sqlFileError}`;
    }
    build = ctasSql(ctx.target, temp, select);
    source = m.sql;
  } else if (snapshotType(ctx, m.legacy) === 'TABLE' || !snapshotType(ctx, m.archive)) {
    build = copySql(ctx.target, m.legacy, temp);
  } else {
    // The legacy name is already a shim (or gone): the archive holds the data.
    build = restoreSql(ctx.target, m.archive, temp);
    source = 'archive';
  }
  const rename = renameSql(ctx.target, temp, m.target.table);
  return {
    id: `target:${m.to}`,
    title: `create ${m.to} from ${source === 'legacy' ? m.from : source}`,
    sql: [build, m.sql ? `-- verify: ${tableKey(temp)} is not empty` : `-- verify: row count equals the source`, rename],
    destructive: false,
    mapping: m,
    async execute(a) {
      const out: ActionOutcome = {};
      if (sqlFileError) throw new Error(sqlFileError);
      const sourceId = source === 'archive' ? m.archive : m.legacy;
      const existing = await objectType(a, m.target);
      if (existing) {
        const rows = await rowCount(a, m.target, out);
        if (m.sql) return { ...out, skipped: true, rows, detail: `already built (${rows} rows)` };
        const expected = await rowCount(a, sourceId, out);
        if (rows === expected) return { ...out, skipped: true, rows, detail: `already built and verified (${rows} rows)` };
        throw new Error(`${m.to} exists with ${rows} rows but ${tableKey(sourceId)} has ${expected}; drop it or roll back this phase, then run again`);
      }
      await exec(a, build, out);
      const built = await rowCount(a, temp, out);
      if (!m.sql) {
        const expected = await rowCount(a, sourceId, out);
        if (built !== expected) {
          await exec(a, dropTableSql(a.wh, temp), out);
          throw new Error(`copy of ${tableKey(sourceId)} has ${built} rows, the source ${expected}; the copy was dropped — run again`);
        }
      }
      await exec(a, rename, out);
      return { ...out, rows: built, detail: `${built} rows` };
    },
  };
}

export const createTargetsStep: BuiltinStep = {
  name: 'create-targets',
  title: 'Create new tables',
  destructive: false,
  options: ['tables'],
  marks: { status: 'migrated' },
  plan(ctx) {
    const notes: string[] = [];
    const actions: PlannedAction[] = [];
    for (const m of selectMappings(ctx)) {
      if (isOwnView(ctx, m) && !m.sql) {
        notes.push(`${m.from} ${OWN_VIEW_NOTE}`);
        continue;
      }
      if (!m.legacyExists && !m.sql && !snapshotType(ctx, m.archive) && !snapshotType(ctx, m.target)) {
        notes.push(`${m.from}: not in the warehouse; ${m.to} skipped`);
        continue;
      }
      actions.push(targetAction(ctx, m));
    }
    return { actions, notes };
  },
  rollback(ctx) {
    const actions: PlannedAction[] = selectMappings(ctx)
      .filter((m) => snapshotType(ctx, m.target))
      .map((m) => ({
        id: `untarget:${m.to}`,
        title: `drop ${m.to} (only while ${m.from} is still the legacy table, not a shim over it)`,
        sql: [`-- verify: ${m.from} is a table`, dropTableSql(ctx.target, m.target)],
        destructive: true,
        mapping: m,
        async execute(a) {
          const out: ActionOutcome = {};
          if ((await objectType(a, m.target)) === undefined) return { skipped: true, detail: 'already gone' };
          const legacy = await objectType(a, m.legacy);
          if (legacy !== 'TABLE') throw new Error(`${m.from} is ${legacy ? 'a view (shim) over' : 'gone and'} ${m.to}; roll back the shims phase first`);
          const rows = await rowCount(a, m.target, out);
          await exec(a, dropTableSql(a.wh, m.target), out);
          return { ...out, rows, detail: 'dropped' };
        },
      }));
    return { actions, notes: [], marks: { status: 'planned' } };
  },
};
