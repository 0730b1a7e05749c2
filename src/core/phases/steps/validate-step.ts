/** `validate` as a phase step: runs every validation check; the step fails if any check fails. */
import { validateMigration } from '../validate';
import type { BuiltinStep } from './common';

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
          title: 'row counts, date ranges, schemas across families, no empty targets, manifest checks',
          sql: ['-- row counts, date ranges and schemas of every mapped table (see docs/phases.md)', ...checks],
          destructive: false,
          async execute(a) {
            const report = await validateMigration(a.wh, a.loaded, { signal: a.signal, labels: { run: a.runId, phase: a.phase, step: a.step } });
            a.note({ passed: report.passed, failed: report.failed });
            // Failures only: the full table is `bqmigrate validate` / validation-latest.json.
            for (const c of report.checks.filter((x) => !x.pass)) a.log(`    FAIL  ${c.subject ?? ''} ${c.description}  ${c.detail}`);
            if (report.failed > 0) throw new Error(`${report.failed} of ${report.checks.length} validation checks failed (see .bqmigrate/validation-latest.json)`);
            return { detail: `${report.passed} checks passed` };
          },
        },
      ],
      notes: [],
    };
  },
};
