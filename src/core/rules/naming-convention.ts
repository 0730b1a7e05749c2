import { PLACEHOLDER_MARK } from '../naming/convention';
import type { Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'naming-convention',
  defaultSeverity: 'warning',
  fixable: false,
  fixSafety: 'none',
  description: 'A table in a governed dataset whose name fails the dataset\'s convention.',
  docs: `Checks every table referenced in a dataset that has a \`naming\` entry against its segment pattern, e.g. \`training\`: \`{asset}_{function}_{scope}_{regime}_{horizon}\`. Segment values may contain underscores (\`trump_2023_2025\`), so every split is tried.

**Why:** one convention makes tables discoverable and lets the migration group families (all horizons of a surface).

**Example:** \`training.zl_training_prod_trump2023_1m\` → "segment {regime} is "trump2023", expected one of allhistory, trump_2023_2025, …; did you mean training.zl_training_prod_trump_2023_2025_1m?".

**Fix:** none (renaming a table is a migration step, not an edit); the closest valid name is suggested when one is near. Names in \`exempt\` pass; routines (\`training.fn(x)\`) are not checked; wildcard tables and host placeholders (a placeholder stands for any one segment value) are handled; \`bqmigrate explain-name dataset.table\` prints the verdict segment by segment.`,
};

export const rule: Rule = {
  meta,
  subjects: 'unresolved',
  check(subject, ctx) {
    if (subject.kind !== 'table' || subject.resolution) return undefined;
    const ref = subject.ref;
    if (ref.meta || ref.wildcard || ref.routine || ref.dataset.placeholders.length > 0) return undefined;
    if (!ctx.naming.governs(ref.dataset.text)) return undefined;
    // `training.x_{horizon}` in prose is a template the scanner cut at the brace, not a table name.
    if (ctx.text[ref.range.end] === '{' || ctx.text.startsWith('${', ref.range.end)) return undefined;
    let table = ref.table.text;
    // Replace host placeholders right to left so earlier offsets stay valid.
    for (const p of [...ref.table.placeholders].sort((a, b) => b.range.start - a.range.start)) {
      const s = p.range.start - ref.table.range.start;
      table = table.slice(0, s) + PLACEHOLDER_MARK + table.slice(s + (p.range.end - p.range.start));
    }
    const verdict = ctx.naming.check(ref.dataset.text, table);
    if (verdict.ok) return undefined;
    return { message: verdict.message };
  },
};
