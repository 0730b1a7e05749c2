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
 * A split reference — a field or call naming a legacy dataset (`dataset_id = "ds"`, `.dataset("ds")`,
 * `DatasetReference(p, "ds")`) and the nearest table field or call within 400 characters, the one
 * before it first — is found at the table field's value when `ds.value` matches a mapping.
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
  const whole = new RegExp(`^(?:${patterns.join('|')})$`);
  const datasetField = new RegExp(String.raw`(?:dataset(?:_?id|_?name)?["']?\s*[:=]\s*["']?|\.dataset\(\s*["'\x60]|DatasetReference\([^,()]*,\s*["'])(${[...datasets].map(escape).join('|')})(?![A-Za-z0-9_])`, 'gi');
  const tableField = /(?:(?<![A-Za-z0-9_])(?:[A-Za-z0-9]+_)*table(?:_?id|_?name)?["']?\s*[:=]\s*["']?|\.table\(\s*["'\x60]|TableReference\([^,()]*,\s*["'])([A-Za-z0-9_]+\*?)(?![A-Za-z0-9_.])/gi;
  return (text) => {
    const found = [...text.matchAll(re)].map((m) => [m.index!, m.index! + m[0].length] as [number, number]);
    const ds = [...text.matchAll(datasetField)].map((m) => ({ at: m.index! + m[0].length - m[1]!.length, name: m[1]! }));
    if (ds.length === 0) return found;
    for (const t of text.matchAll(tableField)) {
      const at = t.index! + t[0].length - t[1]!.length;
      const before = ds.filter((d) => d.at < at && at - d.at <= 400 + d.name.length).pop();
      const after = ds.find((d) => d.at > at && d.at - at <= 400 + t[1]!.length);
      const d = before ?? after;
      if (d !== undefined && whole.test(`${d.name}.${t[1]}`)) found.push([at, at + t[1]!.length]);
    }
    return found.sort((a, b) => a[0] - b[0]);
  };
}
