/** The Markdown reference of every rule, from each rule's own `meta` (docs/core.md embeds it; the CLI and hover read the same text). */
import { ruleMetas } from './index';
import type { RuleMeta } from './types';

/** The fix level in words, as the docs, the hover and SARIF say it: `safe`, `sometimes safe (…)`, `none`. */
export function fixSafetyText(m: RuleMeta, short = false): string {
  if (!m.fixable) return 'none';
  if (m.fixSafety !== 'sometimes') return m.fixSafety;
  return short ? 'sometimes safe' : `sometimes safe (${m.fixSafetyWhen ?? 'each fix says'})`;
}

export function ruleDocsMarkdown(): string {
  const parts = ['| rule | default | fix | description |', '|---|---|---|---|'];
  for (const m of ruleMetas) parts.push(`| [\`${m.id}\`](#${m.id}) | ${m.defaultSeverity} | ${m.fixable ? fixSafetyText(m, true) : '—'} | ${m.description} |`);
  parts.push('');
  for (const m of ruleMetas) parts.push(`### ${m.id}`, '', `Default severity: \`${m.defaultSeverity}\`. Fix: ${fixSafetyText(m)}.`, '', m.docs, '');
  return `${parts.join('\n')}\n`;
}
