import { columnFindings } from '../columns/references';
import type { ColumnCatalog, ColumnRename } from '../columns/catalog';
import type { Fix, FixSafety } from '../fix/types';
import type { LanguageId, TableRef } from '../scan/types';
import type { ActiveSeverity, Rule, RuleMeta, Violation } from './types';

export const meta: RuleMeta = {
  id: 'legacy-column',
  defaultSeverity: 'warning',
  fixable: true,
  fixSafety: 'sometimes',
  fixSafetyWhen: 'safe when the column mapping is `migrated`, `shimmed` or `archived`; unsafe while it is `planned`, and where two consolidated columns would land in one SELECT list',
  description: 'A column that a column mapping renames or consolidates, read from a mapped table.',
  docs: `Flags references to a column listed in a \`kind: "column"\` mapping's \`from\`, on its table (or the table that legacy table is mapped to):

- **SQL** (\`.sql\` files, and SQL in Python and JavaScript/TypeScript strings that name the table), parsed with a BigQuery parser: qualified (\`t.col\`, \`alias.col\`) and unqualified columns in SELECT lists, WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY, window specifications, \`JOIN … USING (col)\`, \`SELECT * EXCEPT (col)\`, \`REPLACE (… AS col)\`, INSERT column lists and UPDATE … SET; CTEs and subqueries resolve through their scopes, and a column passed through a CTE's select list unaliased is renamed where the CTE is read too. An unqualified column counts when exactly one table in scope maps it (BigQuery refuses an ambiguous one).
- **Python pandas** frames loaded from the table in the same function (\`df = client.query(sql).to_dataframe()\`, \`pd.read_gbq(...)\`, and frames derived by \`.copy()\`, \`.dropna()\`, a mask): \`df["col"]\`, \`df.col\`, \`df[["a", "col"]]\`, \`df.loc[…, "col"]\`, string arguments of its methods (\`groupby\`, \`sort_values(by=…)\`, \`rename(columns={…})\`), and \`usecols=\`/\`columns=\` of the loading call. These are reported at \`info\`.

Where the scopes cannot say — an unqualified column with two candidate tables, a name that is also a select-list alias, \`USING\` with a table not renamed the same way, a frame whose source is not visible, a statement the parser refuses — the finding is a *possible reference* at \`info\`, without a fix.

**Why:** consolidation drops the legacy columns once the shims' grace period ends; code that still reads them breaks.

**Example:** \`SELECT sentiment_avg FROM features.master_features_daily\` → "features.master_features_daily.sentiment_avg is consolidated into sentiment_score_mean (coalesce of sentiment_avg, avg_sentiment, sentiment_mean_1d)".

**Fix:** renames the identifier to the canonical column (for a many-to-one mapping, every source column becomes the canonical one), keeping backticks. Safe when the column mapping is \`migrated\`, \`shimmed\` or \`archived\` (the canonical column exists); unsafe while it is \`planned\`, and when two source columns of one mapping would then stand in one SELECT list (alias one of them first). A \`dropped\` column is reported without a fix.`,
};

export const rule: Rule = {
  meta,
  subjects: 'columns',
  check: () => undefined,
};

const describe = (r: ColumnRename, table: string) => {
  const what = `${table}.${r.from}`;
  const planned = r.mapping.status === 'planned';
  if (r.manyToOne) {
    const sources = Array.isArray(r.mapping.from) ? r.mapping.from.join(', ') : r.mapping.from;
    const how = r.mapping.combine === 'sql' ? `sql: ${r.mapping.expression}` : `coalesce of ${sources}`;
    return `${what} ${planned ? 'is being consolidated' : 'is consolidated'} into ${r.to} (${how})${planned ? ' (planned: it may not exist yet)' : ''}`;
  }
  return `${what} ${planned ? 'is being renamed' : 'was renamed'} to ${r.to}${planned ? ' (planned: the new column may not exist yet)' : ''}`;
};

/**
 * The legacy-column violations of one file, from its scanned table references. `severity` is the rule's
 * configured one; pandas findings and possible references are at info.
 */
export function columnViolations(text: string, family: LanguageId, refs: readonly TableRef[], catalog: ColumnCatalog, severity: ActiveSeverity): Violation[] {
  const out: Violation[] = [];
  for (const f of columnFindings(text, family, refs, catalog)) {
    const range = { start: f.start, end: f.end };
    if (f.verdict.kind === 'possible') {
      out.push({ ruleId: 'legacy-column', severity: 'info', message: `possible reference to a mapped legacy column ${f.name}: ${f.verdict.why}`, range, fix: undefined, deprecated: undefined, mappingIndex: undefined });
      continue;
    }
    const r = f.verdict.rename;
    const table = r.mapping.table;
    if (r.mapping.status === 'dropped') {
      out.push({ ruleId: 'legacy-column', severity, message: `${table}.${r.from} was dropped${r.mapping.note ? ` (${r.mapping.note})` : ''}; remove this column reference`, range, fix: undefined, deprecated: true, mappingIndex: r.mappingIndex });
      continue;
    }
    const unsafe = f.verdict.unsafe ?? (r.mapping.status === 'planned' ? 'planned' : undefined);
    const safety: FixSafety = unsafe ? 'unsafe' : 'safe';
    const edits = f.name === r.to ? [] : [{ start: f.start, end: f.end, text: r.to }];
    const fix: Fix | undefined = edits.length ? { title: `Rename column to ${r.to}`, safety, edits } : undefined;
    const message = describe(r, table) + (f.verdict.unsafe ? `; ${f.verdict.unsafe}` : '');
    out.push({ ruleId: 'legacy-column', severity: f.pandas ? 'info' : severity, message, range, fix, deprecated: true, mappingIndex: r.mappingIndex });
  }
  return out;
}
