import type { Fix, FixSafety } from '../fix/types';
import type { Resolution } from '../match/resolver';
import { perResolution, renameEdits } from './resolved';
import type { Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'legacy-reference',
  defaultSeverity: 'error',
  fixable: true,
  fixSafety: 'sometimes',
  fixSafetyWhen: 'safe when the mapping is `migrated` or `archived`; unsafe while it is `planned`, and for mappings that form a cycle',
  description: 'A legacy table or file name that the manifest maps to a new name.',
  docs: `Flags every reference to a name listed in \`mappings[].from\` — tables in any form (\`models_v4.t\`, \`\` \`cbi-v14.models_v4.t\` \`\`, \`[cbi-v14:models_v4.t]\`, f-strings) and \`kind: "path"\` tokens such as export file names.

**Why:** after the rebuild the legacy names are archived, shimmed for a grace period, then gone; code that still uses them breaks.

**Example:** \`SELECT * FROM models_v4.production_training_data_1m\` → "models_v4.production_training_data_1m was renamed to training.zl_training_prod_allhistory_1m".

Routine calls and definitions (\`ds.fn(x)\`, \`CREATE FUNCTION ds.fn\`) follow their dataset's mappings like tables. A wildcard table (\`ds.t_*\`) is renamed when its \`*\` ends in the slot that also ends the new name (\`forecasting_data_warehouse.commodity_*\` → \`raw_intelligence.fdw_commodity_*\`); one that covers more (\`ds.prod*\`) is reported without a fix. Dataset metadata (\`ds.INFORMATION_SCHEMA.COLUMNS\`, \`ds.__TABLES__\`) is a reference to the dataset: renamed to the dataset a \`ds.{table}\` mapping moves it to, else reported without a fix. A pair of fields (\`dataset_id = "models_v4"\` … \`table_id = "t"\`) is one reference.

**Fix:** replaces the dataset and table parts only, keeping quotes, project prefix, separators, placeholders and decorators (each part of a split pair on its own; JSON-escaped inside a notebook). Safe when the mapping's status is \`migrated\` or \`archived\` (the new table exists); unsafe while it is \`planned\` (the new table may not exist yet), so \`bqmigrate fix\` and fix-on-save leave those alone. A chain (\`A → B\`, \`B → C\`, all migrated or archived) is renamed straight to \`C\`. A cycle (\`A → B\`, \`B → A\`) is unsafe too: after one swap the text cannot say which names were swapped, so only \`bqmigrate fix --swap-cycles\` applies it, once. A mapping without \`to\` is reported at \`info\` ("not mapped yet"); a \`dropped\` one as an error without a fix. References to \`shimmed\` tables are reported by shim-reference instead (dataset metadata of a shimmed dataset here, with a safe fix).`,
};

/** Message, fix title and fix safety per resolution and mapping status. */
const wordingOf = perResolution((r: Resolution, status: Resolution['mapping']['status']) => {
  // A chain (A → B → C, all migrated) is renamed to its end in one fix, so a second fix has nothing to do.
  const to = r.finalTo ?? r.to!;
  const planned = status === 'planned';
  const dataset = r.dataset ? to.slice(0, to.indexOf('.')) : undefined;
  const renamed =
    r.cycle !== undefined
      ? `${r.from} was renamed to ${to}; the mappings form a rename cycle (${r.cycle.join(' → ')}), so a fix cannot tell a renamed reference from an old one: \`bqmigrate fix --swap-cycles\` renames these once`
      : `${r.from} ${planned ? 'is being renamed' : 'was renamed'} to ${r.finalTo !== undefined ? `${r.to}, then to ${r.finalTo}` : to}${planned ? ' (planned: the new name may not exist yet)' : ''}`;
  return {
    message: dataset !== undefined ? `${r.from} reads the metadata of a legacy dataset that ${planned ? 'is moving' : 'moved'} to ${dataset}${planned ? ' (planned: it may not exist yet)' : ''}` : renamed,
    title: dataset !== undefined ? `Read the metadata of ${dataset}` : `Rename to ${to}`,
    safety: (planned || r.cycle !== undefined ? 'unsafe' : 'safe') as FixSafety,
  };
});

export const rule: Rule = {
  meta,
  subjects: 'resolved',
  check(subject, ctx) {
    const r = subject.resolution;
    if (!r || (r.mapping.status === 'shimmed' && !r.dataset && r.unfixable === undefined)) return undefined;
    const what = subject.kind === 'path' ? 'path' : r.dataset ? 'dataset' : subject.ref.routine ? 'routine' : 'table';
    if (r.mapping.status === 'dropped' && !r.dataset) {
      return { message: `${r.from} was dropped${r.mapping.note ? ` (${r.mapping.note})` : ''}; remove this ${what} reference`, severity: 'error', deprecated: true, mappingIndex: r.mappingIndex };
    }
    if (r.unfixable !== undefined) {
      const subjectText = r.dataset ? `${r.from} reads the metadata of legacy dataset ${subject.kind === 'table' ? subject.ref.dataset.text : r.from}` : `${r.from} reads legacy tables`;
      return { message: `${subjectText}: ${r.unfixable}; rewrite it by hand`, deprecated: true, mappingIndex: r.mappingIndex };
    }
    if (r.to === undefined) {
      return { message: `${r.from} is a legacy ${what} that is not mapped yet; add "to" to its entry in bqmigrate.json`, severity: 'info', mappingIndex: r.mappingIndex };
    }
    const edits = renameEdits(ctx.text, subject, r.finalTo ?? r.to);
    if (edits.length === 0) return undefined;
    const w = wordingOf(r, r.mapping.status);
    const fix: Fix = { title: w.title, safety: w.safety, edits };
    if (r.cycle !== undefined) fix.cycle = true;
    return { message: w.message, deprecated: true, mappingIndex: r.mappingIndex, fix };
  },
};
