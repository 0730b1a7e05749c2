/**
 * A deliberately simple, independent finder for the differential test: plain regular expressions built
 * from the manifest's table mappings, run over the raw bytes of a file with no notion of language,
 * strings or comments. It shares no code with src/core (not the scanner, the matcher or the manifest
 * loader): where it and the scanner disagree, one of them is wrong, and the test says which.
 *
 * A mapping `ds.table_{var}` matches `ds` and the table with an optional (escaped) backtick around the
 * dot; `{var}` stands for one of the variable's values or a placeholder (`{x}`, `${x}`, `{}`, `%s`); a
 * variable with no values (a wildcard) stands for any run of name characters, placeholders and `*`.
 * `ds.INFORMATION_SCHEMA…` and `ds.__TABLES__`/`__TABLES_SUMMARY__` of a legacy dataset match too.
 */
import { parse } from 'jsonc-parser';

const PLACEHOLDER = String.raw`\*|\{[^{}\s]*\}|\$\{[^{}\s]*\}|%s`;
const DOT = String.raw`(?:\\?\x60)?\.(?:\\?\x60)?`;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function naiveFinder(manifestText: string): (text: string) => [number, number][] {
  const manifest = parse(manifestText) as { variables?: Record<string, string[]>; mappings: { from: string; kind?: string }[] };
  const variables = manifest.variables ?? {};
  const patterns: string[] = [];
  const datasets = new Set<string>();
  for (const m of manifest.mappings) {
    if ((m.kind ?? 'table') !== 'table') continue;
    const [ds, table] = m.from.split('.') as [string, string];
    datasets.add(ds);
    const tablePattern = table
      .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
      .map((part) => {
        const v = /^\{(.*)\}$/.exec(part)?.[1];
        if (v === undefined) return escape(part);
        const values = variables[v];
        return values ? `(?:${[...values].sort((a, b) => b.length - a.length).map(escape).join('|')}|${PLACEHOLDER})` : `(?:[A-Za-z0-9_*]|${PLACEHOLDER})+`;
      })
      .join('');
    patterns.push(`${escape(ds)}${DOT}${tablePattern}`);
  }
  for (const ds of datasets) patterns.push(`${escape(ds)}${DOT}(?:INFORMATION_SCHEMA|__TABLES_SUMMARY__|__TABLES__)`);
  const re = new RegExp(`(?<![A-Za-z0-9_])(?:${patterns.join('|')})(?![A-Za-z0-9_])`, 'g');
  return (text) => [...text.matchAll(re)].map((m) => [m.index!, m.index! + m[0].length] as [number, number]);
}
