/** The Markdown reference of every rule, from each rule's own `meta` (docs/core.md embeds it; the CLI and hover read the same text). */
import { ruleMetas } from './index';

export function ruleDocsMarkdown(): string {
  const parts = ['| rule | default | fix | description |', '|---|---|---|---|'];
  for (const m of ruleMetas) parts.push(`| [\`${m.id}\`](#${m.id}) | ${m.defaultSeverity} | ${m.fixable ? m.fixSafety : '—'} | ${m.description} |`);
  parts.push('');
  for (const m of ruleMetas) parts.push(`### ${m.id}`, '', `Default severity: \`${m.defaultSeverity}\`. Fix: ${m.fixable ? `${m.fixSafety}` : 'none'}.`, '', m.docs, '');
  return `${parts.join('\n')}\n`;
}
