import { renamePathEdits, renameTableEdits } from '../fix/build';
import type { Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'legacy-reference',
  defaultSeverity: 'error',
  fixable: true,
  fixSafety: 'safe',
  description: 'A legacy table or file name that the manifest maps to a new name.',
  docs: `Flags every reference to a name listed in \`mappings[].from\` — tables in any form (\`models_v4.t\`, \`\` \`cbi-v14.models_v4.t\` \`\`, \`[cbi-v14:models_v4.t]\`, f-strings) and \`kind: "path"\` tokens such as export file names.

**Why:** after the rebuild the legacy names are archived, shimmed for a grace period, then gone; code that still uses them breaks.

**Example:** \`SELECT * FROM models_v4.production_training_data_1m\` → "models_v4.production_training_data_1m was renamed to training.zl_training_prod_allhistory_1m".

**Fix:** replaces the dataset and table parts only, keeping quotes, project prefix, separators, placeholders and decorators. Safe when the mapping's status is \`migrated\` or \`archived\` (the new table exists); unsafe while it is \`planned\` (the new table may not exist yet), so \`bqmigrate fix\` and fix-on-save leave those alone. A mapping without \`to\` is reported at \`info\` ("not mapped yet"); a \`dropped\` one as an error without a fix. References to \`shimmed\` mappings are reported by shim-reference instead.`,
};

export const rule: Rule = {
  meta,
  check(subject, ctx) {
    const r = subject.resolution;
    if (!r || r.mapping.status === 'shimmed') return undefined;
    const what = subject.kind === 'path' ? 'path' : 'table';
    if (r.mapping.status === 'dropped') {
      return { message: `${r.from} was dropped${r.mapping.note ? ` (${r.mapping.note})` : ''}; remove this ${what} reference`, severity: 'error', deprecated: true, mappingIndex: r.mappingIndex };
    }
    if (r.to === undefined) {
      return { message: `${r.from} is a legacy ${what} that is not mapped yet; add "to" to its entry in bqmigrate.json`, severity: 'info', mappingIndex: r.mappingIndex };
    }
    const edits = subject.kind === 'table' ? renameTableEdits(ctx.text, subject.ref, r.to) : renamePathEdits(subject.ref, r.to);
    if (edits.length === 0) return undefined;
    const planned = r.mapping.status === 'planned';
    return {
      message: `${r.from} ${planned ? 'is being renamed' : 'was renamed'} to ${r.to}${planned ? ' (planned: the new name may not exist yet)' : ''}`,
      deprecated: true,
      mappingIndex: r.mappingIndex,
      fix: { title: `Rename to ${r.to}`, safety: planned ? 'unsafe' : 'safe', edits },
    };
  },
};
