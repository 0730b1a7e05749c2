/**
 * `shim-views` replaces each legacy table by a view of the same name over its new table —
 * only when the archive copy exists with the same row count, checked right before the drop
 * in the same action. `drop-shims` removes the views after the grace period. Rolling either
 * back restores the legacy table from the archive (copy to a temp name, verify, swap in).
 */
import { scanFilter } from '../row-count';
import { tableMappingAt } from '../../manifest/schema';
import { createTableClauses } from '../../warehouse/table-meta';
import { tempName } from '../expand';
import { applyPartitionFilter, carryMetadata, expectedTarget, layoutOf, withMetadataNote } from '../metadata';
import { tableKey } from '../identifiers';
import { createViewSql, dropTableSql, dropViewSql, renameSql, restoreSql } from '../sql';
import { columnBuildOf, columnMappingIndices, shimSelect } from '../column-build';
import type { LoadedManifest } from '../../manifest/load';
import type { SqlTarget } from '../sql';
import type { TableInfo } from '../../warehouse/types';
import { organizationJobsSql, ownJobsSql, searchReaders } from '../../readers/index';
import type { ActionContext, ActionOutcome, ConcreteMapping, PlannedAction } from '../types';
import { formatReaders, pulledReaders } from '../../definitions/readers';
import { ARCHIVE_ACTION } from './archive';
import { ledgerArchiveOf } from '../ledger';
import { exec, isOwnView, lastNote, nothingThere, objectType, OWN_VIEW_NOTE, rowCount, selectMappings, snapshotType, TablesFilterOptions, type BuiltinStep, type StepPlan, type StepPlanContext } from './common';

/** The archive row count journaled when the archive was verified (any run), if any. */
function verifiedArchiveRows(a: ActionContext, m: ConcreteMapping): number | undefined {
  const v = lastNote(a, `${ARCHIVE_ACTION}${m.from}`, 'verifiedRows') ?? lastNote(a, `shim:${m.from}`, 'verifiedRows');
  return typeof v === 'number' ? v : undefined;
}

/**
 * The shim view: `SELECT *` over the new table, or — when the table has column mappings — the legacy
 * columns in their order, each read from its canonical column. `legacy` is the legacy table's (or its
 * archive's) metadata; without it a column-mapped shim cannot be written, and the error says why.
 */
function shimViewSql(w: SqlTarget, loaded: LoadedManifest, m: ConcreteMapping, legacy: TableInfo | undefined): { sql: string; error?: string } {
  const named = columnMappingIndices(loaded, m);
  if (named.length === 0) return { sql: createViewSql(w, m.legacy, m.target) };
  if (!legacy) {
    const error = `the columns of ${m.from} and its archive copy were not read, so the shim cannot alias the column mappings' new names back`;
    return { sql: `-- ${error}`, error };
  }
  const b = columnBuildOf(loaded, m, legacy.schema);
  if (!b || b.problems.length) return { sql: (b?.problems ?? []).map((p) => `-- cannot shim: ${p}`).join('\n'), error: b?.problems.join('\n') ?? `no column mapping applies to ${m.from}` };
  return { sql: `CREATE VIEW ${w.dialect.table(m.legacy)} AS ${shimSelect(w, b, legacy.schema, m.target)}` };
}

function shimAction(ctx: StepPlanContext, m: ConcreteMapping): PlannedAction {
  const drop = dropTableSql(ctx.target, m.legacy);
  const legacyInfo = snapshotType(ctx, m.legacy) === 'TABLE' ? ctx.snapshot.tables?.[tableKey(m.legacy)] : ctx.snapshot.tables?.[tableKey(m.archive)];
  const planned = shimViewSql(ctx.target, ctx.loaded, m, legacyInfo);
  const columnMappings = columnMappingIndices(ctx.loaded, m);
  return {
    id: `shim:${m.from}`,
    title: `replace ${m.from} by a view over ${m.to}${columnMappings.length ? ' (legacy column names aliased to the new ones)' : ''}`,
    sql: [`-- verify: ${tableKey(m.archive)} exists with the row count of ${m.from}; ${m.to} exists`, drop, planned.sql],
    destructive: true,
    mapping: m,
    columnMappings,
    async execute(a) {
      const out: ActionOutcome = {};
      const legacy = await objectType(a, m.legacy);
      if (legacy === 'VIEW') return { skipped: true, detail: 'already a shim view' };
      if ((await objectType(a, m.target)) === undefined) throw new Error(`${m.to} does not exist; run the create-targets step first`);
      if ((await objectType(a, m.archive)) === undefined) throw new Error(`refusing to replace ${m.from}: its archive copy ${tableKey(m.archive)} does not exist; run the archive step first`);
      // The view as the legacy table (or its archive) is now: the same as planned unless its columns changed since.
      const live = columnMappings.length ? shimViewSql(a.wh, a.loaded, m, (await a.wh.getTable(legacy === 'TABLE' ? m.legacy : m.archive)) ?? undefined) : planned;
      if (live.error) throw new Error(`refusing to replace ${m.from}: ${live.error}`);
      const view = live.sql;
      const archived = await rowCount(a, m.archive, out);
      if (legacy === 'TABLE') {
        const rows = await rowCount(a, m.legacy, out);
        if (rows !== archived) throw new Error(`refusing to replace ${m.from}: it has ${rows} rows but its archive copy ${tableKey(m.archive)} has ${archived}; re-archive it first`);
        a.note({ verifiedRows: archived, archive: tableKey(m.archive) });
        await exec(a, drop, out);
      } else if (legacy === undefined) {
        // Interrupted between drop and create: only continue if the archive was verified at this count.
        const verified = verifiedArchiveRows(a, m);
        if (verified !== archived) throw new Error(`refusing to create the shim: ${m.from} is gone and the journal has no verified archive count matching ${tableKey(m.archive)} (${archived} rows); restore it with \`bqmigrate rollback\``);
      } else {
        throw new Error(`${m.from} is a ${legacy.toLowerCase()}, not a table; it cannot be shimmed`);
      }
      await exec(a, view, out);
      return { ...out, rows: archived, detail: `shim view over ${m.to}; archive holds ${archived} rows` };
    },
  };
}

/** Restores the legacy table from its archive copy; `replaceView` drops the shim view first. */
export function restoreAction(ctx: StepPlanContext, m: ConcreteMapping, idPrefix: string): PlannedAction {
  const temp = { dataset: m.legacy.dataset, table: tempName(m.legacy.table) };
  // The restored table gets back the partitioning, clustering and options the archive kept for it.
  const archived = ctx.snapshot.tables?.[tableKey(m.archive)];
  const expected = archived ? expectedTarget(archived, undefined) : undefined;
  const clauses = archived && expected ? createTableClauses(ctx.target.dialect, { ...layoutOf(archived, expected), schema: archived.schema, options: expected.options }) : [];
  const copy = restoreSql(ctx.target, m.archive, temp, clauses, scanFilter(ctx.target, archived));
  const rename = renameSql(ctx.target, temp, m.legacy.table);
  return {
    id: `${idPrefix}${m.from}`,
    title: `restore ${m.from} from ${tableKey(m.archive)}`,
    columnMappings: columnMappingIndices(ctx.loaded, m),
    sql: [copy, `-- verify: row count equals the archive`, dropViewSql(ctx.target, m.legacy), rename],
    destructive: true,
    mapping: m,
    async execute(a) {
      const out: ActionOutcome = {};
      const legacy = await objectType(a, m.legacy);
      if (legacy === 'TABLE') return { skipped: true, detail: 'legacy table already in place' };
      if ((await objectType(a, m.archive)) === undefined) throw new Error(`cannot restore ${m.from}: archive copy ${tableKey(m.archive)} is missing`);
      const archived = await rowCount(a, m.archive, out);
      if ((await objectType(a, temp)) === undefined || (await rowCount(a, temp, out)) !== archived) await exec(a, copy, out);
      const restored = await rowCount(a, temp, out);
      if (restored !== archived) {
        await exec(a, dropTableSql(a.wh, temp), out);
        throw new Error(`restored copy of ${m.from} has ${restored} rows, the archive ${archived}; nothing was replaced`);
      }
      const archiveInfo = await a.wh.getTable(m.archive);
      const want = archiveInfo ? expectedTarget(archiveInfo, undefined) : undefined;
      const carried = archiveInfo && want ? await carryMetadata(a, archiveInfo, temp, want) : [];
      if (legacy === 'VIEW') await exec(a, dropViewSql(a.wh, m.legacy), out);
      await exec(a, rename, out);
      if (want && (await applyPartitionFilter(a, m.legacy, want))) carried.push('require partition filter');
      return withMetadataNote({ ...out, rows: restored }, `${restored} rows restored`, carried);
    },
  };
}

/**
 * The restores a rollback makes: every legacy name in the state `needs` (a shim view, or gone)
 * with an archive copy to restore from. One the journal says bqmigrate shimmed or archived,
 * whose archive copy is missing, cannot be restored: a blocker, named, never silently left.
 */
function restorePlan(ctx: StepPlanContext, needs: (legacyType: string | undefined) => boolean, idPrefix: string): StepPlan {
  const actions: PlannedAction[] = [];
  const blockers: string[] = [];
  const blockedMappings: number[] = [];
  for (const m of selectMappings(ctx)) {
    const legacy = snapshotType(ctx, m.legacy);
    if (!needs(legacy)) continue;
    if (snapshotType(ctx, m.archive)) {
      actions.push(restoreAction(ctx, m, idPrefix));
      continue;
    }
    const shim = ctx.ledger?.get(m.from);
    const ours = (shim?.role === 'shim' && legacy === 'VIEW') || ledgerArchiveOf(ctx.ledger ?? new Map(), m.from);
    if (!ours) continue;
    blockedMappings.push(m.mappingIndex);
    blockers.push(`cannot restore ${m.from}: it is ${legacy ? `a shim view over ${m.to}` : 'gone'} and its archive copy ${tableKey(m.archive)} is missing — nothing to restore it from`);
  }
  return { actions, notes: [], blockers, blockedMappings };
}

export const shimViewsStep: BuiltinStep = {
  name: 'shim-views',
  title: 'Shim views on legacy names',
  destructive: true,
  options: TablesFilterOptions,
  marks: { status: 'shimmed', shimmedOn: true },
  plan(ctx) {
    const notes: string[] = [];
    const missing: string[] = [];
    const actions = selectMappings(ctx).filter((m) => {
      if (isOwnView(ctx, m)) {
        notes.push(`${m.from} ${OWN_VIEW_NOTE}`);
        return false;
      }
      if (m.legacyExists || snapshotType(ctx, m.archive)) return true;
      notes.push(`${m.from}: not in the warehouse; skipped`);
      missing.push(m.from);
      return false;
    });
    const planned = actions.map((m) => shimAction(ctx, m));
    return { actions: planned, notes, blockers: nothingThere(planned, missing, 'shim') };
  },
  rollback(ctx) {
    return { ...restorePlan(ctx, (type) => type !== 'TABLE', 'unshim:'), marks: { status: 'migrated', shimmedOn: 'clear' } };
  },
};

function graceEnds(shimmedOn: string | undefined, graceDays: number): Date | undefined {
  if (!shimmedOn) return undefined;
  const d = new Date(`${shimmedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + graceDays);
  return d;
}

/**
 * Refuses to drop a shim someone read within `days`, or whose reads from other projects could not
 * be verified (unless `assumeQuiet`): "not verified" is not quiet.
 */
async function assertQuiet(a: ActionContext, m: ConcreteMapping, days: number, assumeQuiet: boolean): Promise<void> {
  const report = await searchReaders(a.wh, a.loaded, [{ name: m.from, mappingIndex: m.mappingIndex, to: m.to, shim: true, exists: true }], {
    days,
    queryOptions: { labels: { run: a.runId, phase: a.phase, step: a.step }, ...(a.signal ? { signal: a.signal } : {}) },
  });
  const n = report.names[0]!;
  if (n.readers.length) {
    const who = n.readers.slice(0, 3).map((r) => `${r.principal}${r.project === report.project ? '' : ` in ${r.project}`}: ${r.jobs}, last ${r.lastRead.slice(0, 10)}, e.g. job ${r.sampleJobId}`);
    throw new Error(`${m.from} was read by ${n.jobs} job(s) in the last ${days} days (${who.join('; ')}${n.readers.length > 3 ? `; and ${n.readers.length - 3} more` : ''}); kept — move those readers to ${m.to} first`);
  }
  if (n.otherProjects !== 'verified' && !assumeQuiet) {
    const why = report.coverage.otherProjectsReason ?? report.notes.find((x) => /other projects/.test(x)) ?? '';
    throw new Error(`refusing to drop ${m.from}: no reads in the last ${days} days in ${report.project}'s own jobs, but not verified for other projects${why ? ` (${why})` : ''}; kept — check the other projects' readers, then run again with --assume-quiet`);
  }
}

export const dropShimsStep: BuiltinStep = {
  name: 'drop-shims',
  title: 'Drop shim views after the grace period',
  destructive: true,
  options: TablesFilterOptions,
  marks: { status: 'archived' },
  plan(ctx) {
    const { shims } = ctx.loaded.manifest;
    const assumeQuiet = ctx.flags?.assumeQuiet === true;
    const readsSource = ctx.target.kind === 'bigquery' ? 'INFORMATION_SCHEMA.JOBS and JOBS_BY_ORGANIZATION' : 'the local job log';
    const notes: string[] = [];
    const actions: PlannedAction[] = [];
    const readersAtPlan = pulledReaders(ctx.loaded);
    for (const m of selectMappings(ctx)) {
      if (snapshotType(ctx, m.legacy) !== 'VIEW') continue;
      const shimmedOn = tableMappingAt(ctx.loaded.manifest, m.mappingIndex)?.shimmedOn;
      const ends = graceEnds(shimmedOn, shims.graceDays);
      if (!ends) {
        notes.push(`${m.from}: no shimmedOn date in the manifest; kept`);
        continue;
      }
      if (ends > ctx.today) {
        notes.push(`${m.from}: grace period (${shims.graceDays} days from ${shimmedOn}) ends ${ends.toISOString().slice(0, 10)}; kept`);
        continue;
      }
      const drop = dropViewSql(ctx.target, m.legacy);
      const planned = readersAtPlan.get(m.from);
      if (planned) notes.push(`${m.from}: still named by pulled definitions (${formatReaders(planned)}); the drop will refuse until they are repointed`);
      const window = { location: ctx.loaded.manifest.location, days: shims.quietDays, names: [m.from] };
      const readsSql = ctx.target.kind === 'bigquery' ? [ownJobsSql(ctx.target, window), organizationJobsSql(ctx.target, window, false)] : [];
      const readsCheck = shims.quietDays > 0 ? [`-- verify: no reads of ${m.from} in the last ${shims.quietDays} days (${readsSource}, query text included)`, ...readsSql] : [];
      actions.push({
        id: `dropshim:${m.from}`,
        title: `drop shim view ${m.from}`,
        columnMappings: columnMappingIndices(ctx.loaded, m),
        sql: [...readsCheck, `-- verify: ${tableKey(m.archive)} exists; no pulled definition names ${m.from}`, drop],
        destructive: true,
        mapping: m,
        async execute(a) {
          const out: ActionOutcome = {};
          const type = await objectType(a, m.legacy);
          if (type === undefined) return { skipped: true, detail: 'already dropped' };
          if (type !== 'VIEW') throw new Error(`refusing to drop ${m.from}: it is a ${type.toLowerCase()}, not a shim view`);
          if ((await objectType(a, m.archive)) === undefined) throw new Error(`refusing to drop ${m.from}: archive copy ${tableKey(m.archive)} is missing`);
          // The files as they are now (fixed since the plan?), not as they were planned.
          const named = pulledReaders(a.loaded).get(m.from);
          if (named) throw new Error(`refusing to drop ${m.from}: pulled definitions still name it (${formatReaders(named)}); fix them and push them with a repoint-definitions step, then pull again`);
          if (shims.quietDays > 0) await assertQuiet(a, m, shims.quietDays, assumeQuiet);
          await exec(a, drop, out);
          return { ...out, detail: 'shim dropped' };
        },
      });
    }
    return { actions, notes };
  },
  rollback(ctx) {
    return { ...restorePlan(ctx, (type) => type === undefined, 'undropshim:'), marks: { status: 'migrated', shimmedOn: 'clear' } };
  },
};
