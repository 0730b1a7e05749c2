/** `validate` as a phase step: runs every validation check; the step fails if any check fails. */
import { tableMappingAt } from '../../manifest/schema';
import { summaryQuery } from '../../diff/index';
import { tableKey } from '../identifiers';
import { contentPairs } from '../checks/content-check';
import type { PlannedAction } from '../types';
import { validateMigration } from '../validate';
import type { BuiltinStep, StepPlanContext } from './common';

/**
 * What the content checks will read, for the plan's cost: the tier 1+2 statement of each pair
 * whose tables exist now, else both tables' sizes (the new table will be a copy of its source).
 * Tier 3 reads the differing buckets again; unknown until then.
 */
function contentEstimates(ctx: StepPlanContext): NonNullable<PlannedAction['estimates']> {
  if (!ctx.loaded.manifest.validation.content) return [];
  const out: NonNullable<PlannedAction['estimates']> = [];
  const info = (id: { dataset: string; table: string }) => ctx.snapshot.tables?.[tableKey(id)];
  for (const m of ctx.mappings) {
    const source = ctx.snapshot.objects[tableKey(m.legacy)] === 'TABLE' ? m.legacy : ctx.snapshot.objects[tableKey(m.archive)] ? m.archive : undefined;
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
