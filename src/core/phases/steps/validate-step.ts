/** `validate` as a phase step: runs every validation check; the step fails if any check fails. */
import { tableMappingAt } from '../../manifest/schema';
import { summaryQuery } from '../../diff/index';
import { tableKey } from '../identifiers';
import { contentPairs } from '../checks/content-check';
import { columnCheckSql } from '../checks/column-check';
import { columnBuildOf } from '../column-build';
import { ColumnCatalog } from '../../columns/catalog';
import type { PlannedAction } from '../types';
import { validateMigration } from '../validate';
import type { BuiltinStep, StepPlanContext } from './common';

/**
 * What the checks that read table contents will read, for the plan's cost: the content checks' tier 1+2
 * statement of each pair, and the column check of each table built with column mappings — each dry-run
 * when its tables exist now, else priced at both tables' sizes (the new table will be built from its
 * source). Tier 3 reads the differing buckets again; unknown until then.
 */
function contentEstimates(ctx: StepPlanContext): NonNullable<PlannedAction['estimates']> {
  const out: NonNullable<PlannedAction['estimates']> = [];
  const info = (id: { dataset: string; table: string }) => ctx.snapshot.tables?.[tableKey(id)];
  const catalog = new ColumnCatalog(ctx.loaded.manifest);
  for (const m of ctx.mappings) {
    const source = ctx.snapshot.objects[tableKey(m.legacy)] === 'TABLE' ? m.legacy : ctx.snapshot.objects[tableKey(m.archive)] ? m.archive : undefined;
    const columns = columnEstimate(ctx, m, source, catalog);
    if (columns) out.push(columns);
    if (!ctx.loaded.manifest.validation.content) continue;
    // Planned before the earlier phases ran: the archive and the new table are copies of the legacy table.
    const objects = { ...ctx.snapshot.objects, ...(ctx.snapshot.objects[tableKey(m.archive)] || !source ? {} : { [tableKey(m.archive)]: 'TABLE' }) };
    for (const p of contentPairs(m, objects, true)) {
      if ('notValidated' in p) continue;
      const [a, b] = [info(p.a), info(p.b)];
      const what = `content ${tableKey(p.a)} ↔ ${tableKey(p.b)} (tiers 1+2)`;
      let sql: string | undefined;
      if (a && b) {
        try {
          sql = summaryQuery(ctx.target, p.a, p.b, a, b, { key: tableMappingAt(ctx.loaded.manifest, m.mappingIndex)?.key, ignore: p.ignore, tolerance: ctx.loaded.manifest.validation.tolerance });
        } catch {
          sql = undefined;
        }
      }
      const size = (a ?? info(m.legacy))?.sizeBytes;
      out.push({ what, ...(sql ? { sql } : {}), ...(size !== null && size !== undefined ? { bytes: 2 * size } : {}) });
    }
  }
  return out;
}

/** The column check of a table with column mappings (validate runs it whatever `validation.content` says). */
function columnEstimate(ctx: StepPlanContext, m: StepPlanContext['mappings'][number], source: { dataset: string; table: string } | undefined, catalog: ColumnCatalog): NonNullable<PlannedAction['estimates']>[number] | undefined {
  if (m.sql || catalog.size === 0) return undefined;
  const sourceInfo = source ? ctx.snapshot.tables?.[tableKey(source)] : ctx.snapshot.tables?.[tableKey(m.legacy)];
  const build = sourceInfo ? columnBuildOf(ctx.loaded, m, sourceInfo.schema, catalog) : undefined;
  if (!build) return undefined;
  const what = `columns ${tableKey(source ?? m.legacy)} ↔ ${m.to}`;
  const targetInfo = ctx.snapshot.tables?.[tableKey(m.target)];
  let sql: string | undefined;
  if (source && targetInfo && !build.problems.length) {
    const check = columnCheckSql(ctx.target, build, source, sourceInfo, m.target, targetInfo, tableMappingAt(ctx.loaded.manifest, m.mappingIndex)?.key);
    if (check.compared.length) sql = check.sql;
  }
  const size = sourceInfo?.sizeBytes;
  return { what, ...(sql ? { sql } : {}), ...(size !== null && size !== undefined ? { bytes: 2 * size } : {}) };
}

export const validateStep: BuiltinStep = {
  name: 'validate',
  title: 'Validate the migration',
  destructive: false,
  plan(ctx) {
    const checks = ctx.loaded.manifest.checks.map((c) => `-- check ${c.id} (must return zero rows):\n${c.sql.trim()}`);
    return {
      actions: [
        {
          id: 'validate',
          title: 'row counts, date ranges, metadata, content, schemas across families, no empty targets, manifest checks',
          sql: ['-- row counts, date ranges, metadata, content and schemas of every mapped table (see docs/phases.md)', ...checks],
          estimates: contentEstimates(ctx),
          destructive: false,
          async execute(a) {
            const report = await validateMigration(a.wh, a.loaded, { signal: a.signal, labels: { run: a.runId, phase: a.phase, step: a.step } });
            a.note({ passed: report.passed, failed: report.failed });
            // Failures only: the full table is `bqmigrate validate` / validation-latest.json.
            for (const c of report.checks.filter((x) => !x.pass)) a.log(`    FAIL  ${c.subject ?? ''} ${c.description}  ${c.detail}`);
            if (report.failed > 0) throw new Error(`${report.failed} of ${report.checks.length} validation checks failed (see .bqmigrate/validation-latest.json)`);
            if (report.nothingValidated) throw new Error(`nothing was validated: ${report.nothingValidated}`);
            return { detail: `${report.passed} checks passed` };
          },
        },
      ],
      notes: [],
    };
  },
};
