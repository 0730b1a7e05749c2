import { closest } from '../naming/distance';
import type { Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'unknown-dataset',
  defaultSeverity: 'warning',
  fixable: false,
  fixSafety: 'none',
  description: 'A dataset that is neither approved nor legacy.',
  docs: `Flags references whose dataset is not in \`datasets\` (approved), \`legacyDatasets\`, any mapping's \`from\`, or the archive dataset.

**Why:** the rebuild fixes the set of datasets; a name outside it is a typo, a forgotten legacy dataset (add it to \`legacyDatasets\` and map its tables) or a table that will not exist.

**Example:** \`SELECT * FROM featurs.biofuel_rin_proxy_daily\` → "dataset "featurs" is neither approved nor legacy; did you mean features?".

**Fix:** none (the suggestion is in the message). References with another explicit project are left alone, as are \`region-*.INFORMATION_SCHEMA\` views and names whose dataset is a template placeholder.`,
};

// Suggestions per approved set and dataset: the same unknown name repeats across a codebase.
const suggestions = new WeakMap<ReadonlySet<string>, Map<string, string | undefined>>();
function suggestDataset(dataset: string, approved: ReadonlySet<string>): string | undefined {
  let cache = suggestions.get(approved);
  if (!cache) suggestions.set(approved, (cache = new Map()));
  if (!cache.has(dataset)) cache.set(dataset, closest(dataset, approved));
  return cache.get(dataset);
}

export const rule: Rule = {
  meta,
  subjects: 'unresolved',
  check(subject, ctx) {
    if (subject.kind !== 'table' || subject.resolution) return undefined;
    const ref = subject.ref;
    const dataset = ref.dataset.text;
    if (ref.dataset.placeholders.length > 0 || /^region-/i.test(dataset)) return undefined;
    if (ctx.knownDatasets.has(dataset.toLowerCase())) return undefined;
    const guess = suggestDataset(dataset.toLowerCase(), ctx.approvedDatasets);
    return { message: `dataset "${dataset}" is neither approved nor legacy${guess ? `; did you mean ${guess}?` : '; add it to "datasets" or "legacyDatasets" in bqmigrate.json'}` };
  },
};
