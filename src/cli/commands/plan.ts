/** `bqmigrate plan [--phase ID]`: every step's exact SQL (and, on BigQuery, the dry-run bytes) without running anything. */
import { formatPlan, previewPhase } from '../../core/phases/index';
import { COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import type { CliCommand } from './types';

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'show what a phase (or every phase) would run: exact SQL, dry-run bytes on BigQuery',
  usage: `usage: bqmigrate plan [--phase ID] [--rollback] [--json] [options]

Plans against the warehouse as it is now (wildcard mappings expand over existing tables)
and prints every step and action with the exact SQL it runs. Nothing is changed.

  --phase ID   one phase (default: all, in manifest order)
  --rollback   show the rollback plan of --phase instead
  --json       machine-readable plan
  --include-disabled  repoint-definitions: plan updates of disabled scheduled queries too
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { phase: { type: 'string' }, json: { type: 'boolean' }, rollback: { type: 'boolean' }, 'include-disabled': { type: 'boolean' } });
    const { values } = parsed;
    const loaded = loadForPhases(values, io);
    if (!loaded) return 2;
    const phases = typeof values.phase === 'string' ? [values.phase] : loaded.manifest.phases.map((p) => p.id);
    if (phases.length === 0) {
      io.stderr.write(`bqmigrate plan: ${loaded.file} has no "phases"; add some (see \`bqmigrate init\`)\n`);
      return 2;
    }
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'plan');
      const out: unknown[] = [];
      for (const id of phases) {
        const { plan, bytes } = await previewPhase(wh, loaded, id, { rollback: !!values.rollback, includeDisabled: !!values['include-disabled'] });
        if (values.json) {
          out.push({
            phase: plan.phase,
            title: plan.title,
            steps: plan.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, destructive: s.destructive, notes: s.notes, actions: s.actions.map((a) => ({ id: a.id, title: a.title, destructive: a.destructive, sql: a.sql, ...(a.diff ? { diff: a.diff } : {}), dryRunBytes: bytes.get(`${s.id}/${a.id}`) })) })),
          });
        } else io.stdout.write(`${formatPlan(plan, bytes)}\n\n`);
      }
      if (values.json) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    } catch (err) {
      return reportError(err, io);
    } finally {
      await wh?.close();
    }
  },
};
