/**
 * `create-targets`: build each new table at a temporary name, verify it, carry the metadata
 * over, then rename — so the target name exists only for finished builds and re-running skips
 * them. When the target is the legacy table renamed, the build is a copy job (free on
 * BigQuery; keeps schema, column descriptions, policy tags, partitioning and clustering) and
 * tables.patch carries description, labels and friendly name. When the target transforms —
 * see `transformOf` — it is built with SQL that states the source's PARTITION BY, CLUSTER BY
 * and OPTIONS (or the manifest's `metadata`). The partition-filter requirement is set last.
 */
import { scanFilter } from '../row-count';
import { tableMappingAt } from '../../manifest/schema';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTableClauses, formatPartitioning, parsePartitioning } from '../../warehouse/table-meta';
import type { ExpectedMetadata } from '../../warehouse/table-meta';
import type { LoadedManifest } from '../../manifest/load';
import { columnBuildOf, columnBuildSelect, columnMappingIndices, columnMappingsNoPhaseBuilds, droppedText, layoutRenames, type ColumnBuild } from '../column-build';
import type { TableId, TableInfo } from '../../warehouse/types';
import { tempName } from '../expand';
import { tableKey } from '../identifiers';
import { applyPartitionFilter, carryMetadata, changesLayout, expectedTarget, layoutOf, withMetadataNote } from '../metadata';
import { copyJobNote, ctasSql, dropTableSql, patchNote, renameSql, restoreSql, translateForLocal, type SqlTarget } from '../sql';
import type { ActionContext, ActionOutcome, ConcreteMapping, PlannedAction } from '../types';
import { copyByJob, dropShortCopy, exec, objectType, rowCount, isOwnView, nothingThere, OWN_VIEW_NOTE, selectMappings, snapshotType, TablesFilterOptions, type BuiltinStep, type StepPlanContext } from './common';

/** Reads a mapping's SQL file; the path must stay inside the manifest folder. */
export function readMappingSql(root: string, file: string, kind: 'local' | 'bigquery', project?: string): string {
  const full = path.resolve(root, file);
  const rel = path.relative(root, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${file}: SQL files must be inside the manifest folder`);
  const text = fs.readFileSync(full, 'utf8');
  return kind === 'local' ? translateForLocal(text, project) : text;
}

/**
 * How a target's rows are computed when it is not the legacy table as it is: the SELECT, why,
 * and the source → target column renames its metadata follows. Undefined means a plain copy.
 * This is the one place a new kind of transformation (column mappings, …) plugs in.
 */
export interface TargetTransform {
  select: string;
  why: string;
  /** Source column → target column, for descriptions, policy tags, partitioning and clustering. */
  renamed?: Record<string, string>;
  /** The build has no fixed row count to verify against (a SQL file may filter or aggregate). */
  uncounted?: boolean;
  error?: string;
  /** The table's column mappings applied (kept, renamed and consolidated columns). */
  columns?: ColumnBuild;
}

export function transformOf(ctx: { loaded: LoadedManifest; target: SqlTarget }, m: ConcreteMapping, source: TableId, sourceInfo: TableInfo | undefined): TargetTransform | undefined {
  if (m.sql) {
    try {
      return { select: readMappingSql(ctx.loaded.root, m.sql, ctx.target.kind, ctx.target.project), why: m.sql, uncounted: true };
    } catch (err) {
      const error = `${m.sql}: ${(err as Error).message}`;
      return { select: `-- cannot read ${error}`, why: m.sql, uncounted: true, error };
    }
  }
  const named = columnMappingIndices(ctx.loaded, m);
  if (named.length && !sourceInfo) {
    const error = `the columns of ${tableKey(source)} were not read, so its column mappings (mappings[${named.join('], mappings[')}]) cannot be applied`;
    return { select: `-- ${error}`, why: 'column mappings', error };
  }
  const columns = sourceInfo ? columnBuildOf(ctx.loaded, m, sourceInfo.schema) : undefined;
  if (columns?.problems.length) return { select: columns.problems.map((p) => `-- cannot build: ${p}`).join('\n'), why: 'column mappings', error: columns.problems.join('\n'), columns };
  if (columns) return { select: columnBuildSelect(ctx.target, columns, source, scanFilter(ctx.target, sourceInfo)), why: `column mappings`, renamed: columns.renamed, columns };
  if (changesLayout(sourceInfo, tableMappingAt(ctx.loaded.manifest, m.mappingIndex))) return { select: `SELECT * FROM ${ctx.target.dialect.table(source)}`, why: 'the manifest changes partitioning or clustering' };
  return undefined;
}

/**
 * PARTITION BY / CLUSTER BY / OPTIONS for the new table: the source's layout (or the manifest's), with
 * the partitioning and clustering columns following the column mappings to their canonical names.
 */
function targetClauses(w: SqlTarget, info: TableInfo, expected: ExpectedMetadata, transform: TargetTransform | undefined): string[] {
  const layout = layoutOf(info, expected);
  const to = transform?.columns ? layoutRenames(transform.columns) : {};
  const rename = (c: string) => to[c] ?? c;
  const p = parsePartitioning(layout.partitioning);
  const partitioning = p && expected.partitioning === undefined && 'field' in p && to[p.field] ? formatPartitioning({ ...p, field: rename(p.field) }) : layout.partitioning;
  const clustering = expected.clustering === undefined ? layout.clustering?.map(rename) : layout.clustering;
  const schema = info.schema.map((c) => ({ ...c, name: rename(c.name) }));
  return createTableClauses(w.dialect, { ...(partitioning ? { partitioning } : {}), ...(clustering?.length ? { clustering } : {}), schema, options: expected.options });
}

/** What a target is built from: the legacy table, or its archive copy once the legacy name is a shim (or gone). */
function planSource(ctx: StepPlanContext, m: ConcreteMapping): { fromArchive: boolean; source: TableId; sourceInfo: TableInfo | undefined; transform: TargetTransform | undefined } {
  const fromArchive = !(snapshotType(ctx, m.legacy) === 'TABLE' || !snapshotType(ctx, m.archive));
  // The archive has three columns of its own.
  const source = fromArchive ? m.archive : m.legacy;
  const sourceInfo = ctx.snapshot.tables?.[tableKey(source)];
  return { fromArchive, source, sourceInfo, transform: transformOf(ctx, m, source, sourceInfo) };
}

function targetAction(ctx: StepPlanContext, m: ConcreteMapping, planned: ReturnType<typeof planSource>): PlannedAction {
  const temp = { dataset: m.target.dataset, table: tempName(m.target.table) };
  const { fromArchive, source, sourceInfo } = planned;
  const transform = planned.transform;
  const mapping = tableMappingAt(ctx.loaded.manifest, m.mappingIndex);
  const expected = sourceInfo ? expectedTarget(sourceInfo, mapping, transform?.renamed) : undefined;
  const clauses = sourceInfo && expected ? targetClauses(ctx.target, sourceInfo, expected, transform) : [];
  const viaSql = !!transform || fromArchive;
  const build = transform ? ctasSql(ctx.target, temp, transform.select, clauses) : fromArchive ? restoreSql(ctx.target, m.archive, temp, clauses, scanFilter(ctx.target, sourceInfo)) : copyJobNote(m.legacy, temp);
  const rename = renameSql(ctx.target, temp, m.target.table);
  const what = transform && !transform.columns ? transform.why : fromArchive ? 'archive' : 'legacy';
  const filter = expected?.options.requirePartitionFilter ? [patchNote(m.target, 'require partition filter')] : [];
  const columnNote = transform?.columns ? [`-- column mappings ${transform.columns.mappingIndices.map((i) => `mappings[${i}]`).join(', ')}: ${droppedText(transform.columns)}`] : [];
  return {
    id: `target:${m.to}`,
    title: `create ${m.to} from ${what === 'legacy' ? m.from : what === 'archive' ? tableKey(m.archive) : what}${transform?.columns ? ` with ${transform.columns.canonical.length} column mapping(s)` : ''}${viaSql ? '' : ' (copy job)'}`,
    sql: [
      ...columnNote,
      build,
      patchNote(temp, viaSql ? `column descriptions and policy tags of ${tableKey(source)}` : `description, labels, friendly name of ${tableKey(source)}`),
      transform?.uncounted ? `-- verify: ${tableKey(temp)} is built` : `-- verify: row count equals the source`,
      rename,
      ...filter,
    ],
    destructive: false,
    mapping: m,
    columnMappings: columnMappingIndices(ctx.loaded, m),
    async execute(a) {
      const out: ActionOutcome = {};
      const live = await a.wh.getTable(source);
      // The source's columns were not read when the plan was made (it was listed, then could not be read): read now, the column mappings apply.
      const transform = planned.transform?.error && !sourceInfo && live ? transformOf({ loaded: a.loaded, target: a.wh }, m, source, live) : planned.transform;
      if (transform?.error) throw new Error(transform.error);
      const existing = await objectType(a, m.target);
      if (existing) {
        const rows = await rowCount(a, m.target, out);
        const carried = live ? await carryMetadata(a, live, m.target, expectedTarget(live, mapping, transform?.renamed), { partitionFilter: true }) : [];
        if (transform?.uncounted) return withMetadataNote({ ...out, skipped: carried.length === 0, rows }, `already built (${rows} rows)`, carried);
        const expectedRows = await rowCount(a, source, out);
        if (rows === expectedRows) return withMetadataNote({ ...out, skipped: carried.length === 0, rows }, `already built and verified (${rows} rows)`, carried);
        throw new Error(`${m.to} exists with ${rows} rows but ${tableKey(source)} has ${expectedRows}; drop it or roll back this phase, then run again`);
      }
      // A SQL file may build from anything; without a legacy table there is no metadata to carry.
      if (!live && !transform?.uncounted) throw new Error(`${tableKey(source)} does not exist; nothing to build ${m.to} from`);
      const want = live ? expectedTarget(live, mapping, transform?.renamed) : undefined;
      if (viaSql) {
        await exec(a, live ? liveBuildSql(a, m, temp, transform, fromArchive, live, sourceInfo, build) : build, out);
      } else {
        await copyByJob(a, m.legacy, temp, out);
      }
      const carried = live && want ? await carryMetadata(a, live, temp, want) : [];
      const built = await rowCount(a, temp, out);
      if (!transform?.uncounted) {
        const expectedRows = await rowCount(a, source, out);
        if (built !== expectedRows) await dropShortCopy(a, temp, out, `copy of ${tableKey(source)} has ${built} rows, the source ${expectedRows}; the copy was dropped — run again`);
      }
      await exec(a, rename, out);
      if (want && (await applyPartitionFilter(a, m.target, want))) carried.push('require partition filter');
      return withMetadataNote({ ...out, rows: built }, `${built} rows${viaSql ? '' : ' (copy job)'}`, carried);
    },
  };
}


/** The planned statement, unless the source's layout changed since the plan: then the same statement for what it is now. */
function liveBuildSql(a: ActionContext, m: ConcreteMapping, temp: TableId, transform: TargetTransform | undefined, fromArchive: boolean, live: TableInfo, planned: TableInfo | undefined, plannedSql: string): string {
  const sameColumns = !transform?.columns || (planned && planned.schema.map((c) => `${c.name}:${c.type}`).join() === live.schema.map((c) => `${c.name}:${c.type}`).join());
  if (planned && sameColumns && planned.partitioning === live.partitioning && (planned.clustering ?? []).join() === (live.clustering ?? []).join()) return plannedSql;
  if (transform?.columns) {
    transform = transformOf({ loaded: a.loaded, target: a.wh }, m, fromArchive ? m.archive : m.legacy, live);
    if (transform?.error) throw new Error(transform.error);
  }
  const mapping = tableMappingAt(a.loaded.manifest, m.mappingIndex);
  const expected = expectedTarget(live, mapping, transform?.renamed);
  const clauses = targetClauses(a.wh, live, expected, transform);
  return transform ? ctasSql(a.wh, temp, transform.select, clauses) : fromArchive ? restoreSql(a.wh, m.archive, temp, clauses, scanFilter(a.wh, live)) : plannedSql;
}

export const createTargetsStep: BuiltinStep = {
  name: 'create-targets',
  title: 'Create new tables',
  destructive: false,
  options: TablesFilterOptions,
  marks: { status: 'migrated' },
  plan(ctx) {
    const notes: string[] = columnMappingsNoPhaseBuilds(ctx.loaded);
    const actions: PlannedAction[] = [];
    const missing: string[] = [];
    const blockers: string[] = [];
    const blockedMappings: number[] = [];
    const problemsSeen = new Map<string, { text: string; more: number }>();
    for (const m of selectMappings(ctx)) {
      if (isOwnView(ctx, m) && !m.sql) {
        notes.push(`${m.from} ${OWN_VIEW_NOTE}`);
        continue;
      }
      if (!m.legacyExists && !m.sql && !snapshotType(ctx, m.archive) && !snapshotType(ctx, m.target)) {
        notes.push(`${m.from}: not in the warehouse; ${m.to} skipped`);
        missing.push(m.from);
        continue;
      }
      const planned = planSource(ctx, m);
      // Column mappings that cannot be applied (a missing source column, a name collision) stop the plan, each named with its manifest position.
      if (planned.transform?.columns?.problems.length) {
        for (const p of planned.transform.columns.problems) {
          // A templated family meets the same problem once per table: said once, with how many more.
          const key = p.split(m.from).join('{table}');
          const seen = problemsSeen.get(key);
          if (seen) seen.more++;
          else problemsSeen.set(key, { text: `${m.to}: ${p}`, more: 0 });
        }
        blockedMappings.push(m.mappingIndex);
        continue;
      }
      actions.push(targetAction(ctx, m, planned));
    }
    for (const { text, more } of problemsSeen.values()) blockers.push(more ? `${text} (and ${more} more table(s) like it)` : text);
    return { actions, notes, blockers: [...blockers, ...nothingThere(actions, missing, 'build new tables from')], blockedMappings };
  },
  rollback(ctx) {
    const actions: PlannedAction[] = selectMappings(ctx)
      .filter((m) => snapshotType(ctx, m.target))
      .map((m) => ({
        id: `untarget:${m.to}`,
        columnMappings: columnMappingIndices(ctx.loaded, m),
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
