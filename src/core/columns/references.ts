/**
 * Column references of one file: the SQL regions that name a table with column mappings are parsed and
 * resolved through their scopes (sql-scope.ts); a statement the parser refuses falls back to its words,
 * each a possible reference. Python files add pandas column access (pandas.ts).
 */
import type { ParserOptions } from 'sql-parser-cst';
import type { LanguageId, Span, TableRef } from '../scan/types';
import type { ColumnCatalog, ColumnRename, TableColumnRenames } from './catalog';
import { pandasColumnFindings } from './pandas';
import { sqlParser } from './parsers';
import { javascriptSqlRegions, pythonSqlRegions, type SqlRegion } from './sql-regions';
import { SqlColumnResolver, type ColumnFinding, type CstNode } from './sql-scope';

export type { ColumnFinding } from './sql-scope';

interface MappedRef {
  range: Span;
  renames: TableColumnRenames;
}

const PARSE_OPTIONS: ParserOptions = { dialect: 'bigquery', includeRange: true, paramTypes: ['@name', '?'] };

/** Column findings of a file, sorted by start. `refs` are the file's scanned table references. */
export function columnFindings(text: string, family: LanguageId, refs: readonly TableRef[], catalog: ColumnCatalog): ColumnFinding[] {
  if (catalog.size === 0) return [];
  const mapped: MappedRef[] = [];
  for (const ref of refs) {
    const renames = catalog.forRef(ref);
    if (renames.size > 0) mapped.push({ range: ref.range, renames });
  }
  if (mapped.length === 0) return [];
  let regions: SqlRegion[];
  if (family === 'sql') regions = [{ start: 0, sql: text }];
  else if (family === 'python') regions = pythonSqlRegions(text, mapped.filter((m) => isInString(refs, m)).map((m) => m.range));
  else if (family === 'javascript') regions = javascriptSqlRegions(text, mapped.map((m) => m.range));
  else regions = [];
  const out: ColumnFinding[] = [];
  for (const region of regions) out.push(...regionFindings(region, mapped));
  if (family === 'python') out.push(...pandasColumnFindings(text, mapped, regions));
  out.sort((a, b) => a.start - b.start);
  // A position found twice (a string that is both SQL and a pandas key) keeps its first finding.
  return out.filter((f, k) => k === 0 || f.start !== out[k - 1]!.start);
}

function isInString(refs: readonly TableRef[], m: MappedRef): boolean {
  return refs.some((r) => r.range === m.range && r.context === 'string');
}

/** The union of the column renames of the mapped tables inside [start, end) of the file. */
function lookupIn(mapped: readonly MappedRef[], start: number, end: number): TableColumnRenames | undefined {
  let out: Map<string, ColumnRename> | undefined;
  for (const m of mapped) {
    if (m.range.start < start || m.range.end > end) continue;
    if (!out) out = new Map(m.renames);
    else for (const [k, v] of m.renames) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

function regionFindings(region: SqlRegion, mapped: readonly MappedRef[]): ColumnFinding[] {
  const base = region.start;
  const inRegion = mapped.filter((m) => m.range.start >= base && m.range.end <= base + region.sql.length);
  if (inRegion.length === 0) return [];
  const resolver = new SqlColumnResolver((start, end) => lookupIn(inRegion, base + start, base + end));
  // MERGE is not resolved through scopes: its words are possible references, and the rest is parsed without it.
  const merges: ColumnFinding[] = [];
  let text = region.sql;
  for (const piece of statementsOf(region.sql)) {
    if (!/^\s*MERGE\b/i.test(blankStringsAndComments(region.sql.slice(piece.start, piece.end)))) continue;
    const renames = lookupIn(inRegion, base + piece.start, base + piece.end);
    if (renames) merges.push(...wordFindings(region.sql, piece, renames, base, 'MERGE statements are not resolved through their scopes'));
    text = text.slice(0, piece.start) + ' '.repeat(piece.end - piece.start) + text.slice(piece.end);
  }
  try {
    return [...merges, ...resolver.resolveProgram(sqlParser().parse(text, PARSE_OPTIONS) as unknown as CstNode, base)];
  } catch {
    // One statement the parser refuses must not hide the others: parse them one by one.
  }
  const out: ColumnFinding[] = [...merges];
  for (const piece of statementsOf(text)) {
    const sql = ' '.repeat(piece.start) + text.slice(piece.start, piece.end);
    if (!sql.trim()) continue;
    try {
      out.push(...resolver.resolveProgram(sqlParser().parse(sql, PARSE_OPTIONS) as unknown as CstNode, base));
    } catch {
      const renames = lookupIn(inRegion, base + piece.start, base + piece.end);
      if (renames) out.push(...wordFindings(text, piece, renames, base));
    }
  }
  return out;
}

/** Code (not strings or comments) of a SQL text, as [start, end) runs between top-level `;`s. */
function statementsOf(sql: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const code = blankStringsAndComments(sql);
  for (let i = 0; i < code.length; i++) {
    if (code[i] === ';') {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  if (start < sql.length) out.push({ start, end: sql.length });
  return out;
}

/** The text with string literals and comments overwritten by spaces (backticked names kept). */
function blankStringsAndComments(sql: string): string {
  return sql.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, (m) => ' '.repeat(m.length));
}

/** Words of a statement the parser refused that spell a mapped column: each a possible reference. */
function wordFindings(sql: string, piece: Span, renames: TableColumnRenames, base: number, why = 'the SQL parser could not read this statement'): ColumnFinding[] {
  const code = blankStringsAndComments(sql.slice(piece.start, piece.end));
  const out: ColumnFinding[] = [];
  for (const m of code.matchAll(/(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_])/g)) {
    const r = renames.get(m[0].toLowerCase());
    if (!r) continue;
    const start = base + piece.start + m.index!;
    out.push({ start, end: start + m[0].length, name: m[0], verdict: { kind: 'possible', why } });
  }
  return out;
}
