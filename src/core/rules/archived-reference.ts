import type { Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'archived-reference',
  defaultSeverity: 'warning',
  fixable: false,
  fixSafety: 'none',
  description: 'Code that reads from the archive dataset.',
  docs: `Flags table references in the archive dataset (\`archive.dataset\`, default \`archive\`), e.g. \`archive.legacy_20251114__models_v4__production_training_data_1m\`.

**Why:** archived tables are frozen copies kept for rollback and audit; pipelines that read them silently train on stale data.

**Example:** \`SELECT * FROM archive.legacy_20251114__models_v4__crisis_2008_historical\`.

**Fix:** none — point the code at the live table, or suppress the line in migration and rollback scripts: \`-- bqmigrate-disable-next-line archived-reference -- rollback reads the archive\`.`,
};

export const rule: Rule = {
  meta,
  subjects: 'unresolved',
  check(subject, ctx) {
    if (subject.kind !== 'table' || subject.resolution) return undefined;
    const archive = ctx.manifest.archive.dataset;
    if (subject.ref.dataset.text.toLowerCase() !== archive.toLowerCase()) return undefined;
    return { message: `${subject.ref.dataset.text}.${subject.ref.table.text} is in the archive dataset "${archive}": archived tables are frozen copies, read the live table instead`, deprecated: true };
  },
};
