/**
 * pandas column access on frames loaded from a mapped table, read from @lezer/python's syntax tree.
 * A frame is a name assigned the result of a call whose arguments hold SQL that names the table (a
 * string, or a variable assigned such a string earlier in the same function); frames derived from it by
 * `.copy()`, `.dropna()`, a mask, a list of columns and the like are frames of the same table. On such a frame,
 * `df["col"]`, `df.col`, `df[["a", "col"]]`, `df.loc[…, "col"]`, string arguments of its methods
 * (`groupby("col")`, `sort_values(by=["col"])`, `rename(columns={"col": …})`) and `usecols=`/`columns=`
 * of the loading call are references with a fix. `x["col"]` on a name whose source is not visible in the
 * function is a possible reference.
 */
import { pythonParser } from './parsers';
import type { Span } from '../scan/types';
import type { ColumnRename, TableColumnRenames } from './catalog';
import type { ColumnFinding } from './sql-scope';
import type { SqlRegion } from './sql-regions';

type SyntaxNode = ReturnType<ReturnType<ReturnType<typeof pythonParser>['parse']>['resolveInner']>;

interface MappedRef {
  range: Span;
  renames: TableColumnRenames;
}

/** Methods whose result is a frame (or a grouping of one) with the same columns. */
const SAME_COLUMNS = new Set(['groupby', 'rolling', 'resample', 'expanding', 'copy', 'dropna', 'fillna', 'query', 'sort_values', 'sort_index', 'reset_index', 'head', 'tail', 'drop_duplicates', 'sample', 'ffill', 'bfill', 'astype', 'round', 'to_dataframe', 'result']);
/** Keyword arguments of a loading call that list the columns to read. */
const COLUMN_LIST_ARGS = new Set(['usecols', 'columns']);

const childrenOf = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

export function pandasColumnFindings(text: string, mapped: readonly MappedRef[], sqlRegions: readonly SqlRegion[]): ColumnFinding[] {
  const tree = pythonParser().parse(text);
  const out: ColumnFinding[] = [];
  const legacy = new Map<string, ColumnRename>();
  for (const m of mapped) for (const [k, v] of m.renames) if (!legacy.has(k)) legacy.set(k, v);
  const inSql = (pos: number) => sqlRegions.some((r) => pos >= r.start && pos < r.start + r.sql.length);

  const stringValue = (node: SyntaxNode): { value: string; start: number; end: number } | undefined => {
    if (node.name !== 'String') return undefined;
    const raw = text.slice(node.from, node.to);
    const m = /^([rRuUbB]{0,2})(['"])(.*)\2$/s.exec(raw);
    if (!m || m[3]!.includes('\\') || m[3]!.includes(m[2]!)) return undefined;
    const start = node.from + m[1]!.length + 1;
    return { value: m[3]!, start, end: start + m[3]!.length };
  };

  /** Renames of the mapped tables whose references lie inside `node`. */
  const tablesIn = (node: SyntaxNode, sqlVars: Map<string, TableColumnRenames>): TableColumnRenames | undefined => {
    let out: Map<string, ColumnRename> | undefined;
    const add = (r: TableColumnRenames) => {
      out ??= new Map();
      for (const [k, v] of r) if (!out.has(k)) out.set(k, v);
    };
    for (const m of mapped) if (m.range.start >= node.from && m.range.end <= node.to) add(m.renames);
    const walk = (n: SyntaxNode) => {
      if (n.name === 'VariableName') {
        const r = sqlVars.get(text.slice(n.from, n.to));
        if (r) add(r);
      }
      for (const c of childrenOf(n)) walk(c);
    };
    walk(node);
    return out;
  };

  const isStringExpr = (node: SyntaxNode): boolean => {
    if (node.name === 'String' || node.name === 'FormatString' || node.name === 'ContinuedString') return true;
    if (node.name === 'BinaryExpression') return childrenOf(node).some(isStringExpr);
    if (node.name === 'ParenthesizedExpression') return childrenOf(node).some(isStringExpr);
    // "…".format(…)
    if (node.name === 'CallExpression') {
      const callee = node.firstChild;
      return callee?.name === 'MemberExpression' && callee.firstChild !== null && isStringExpr(callee.firstChild);
    }
    return false;
  };

  const flag = (s: { value: string; start: number; end: number }, renames: TableColumnRenames | undefined) => {
    if (inSql(s.start)) return;
    const key = s.value.toLowerCase();
    if (renames) {
      const r = renames.get(key);
      if (r) out.push({ start: s.start, end: s.end, name: s.value, verdict: { kind: 'rename', rename: r }, pandas: true });
      return;
    }
    if (legacy.has(key)) out.push({ start: s.start, end: s.end, name: s.value, verdict: { kind: 'possible', why: 'the frame\'s source table is not visible in this function' }, pandas: true });
  };

  /** Every plain string under `node` that is a whole column name (lists, dict keys of `rename(columns=…)`). */
  const columnStrings = (node: SyntaxNode, renames: TableColumnRenames | undefined, dictKeysOnly = false) => {
    if (node.name === 'String') {
      const s = stringValue(node);
      if (s) flag(s, renames);
      return;
    }
    if (node.name === 'DictionaryExpression' && dictKeysOnly) {
      // Keys are the old names: `{ "old": "new", … }`.
      const kids = childrenOf(node);
      kids.forEach((k, i) => {
        if (k.name === 'String' && kids[i + 1]?.name === ':') columnStrings(k, renames);
      });
      return;
    }
    if (node.name === 'ArrayExpression' || node.name === 'TupleExpression' || node.name === 'ParenthesizedExpression' || node.name === 'DictionaryExpression') for (const c of childrenOf(node)) columnStrings(c, renames, dictKeysOnly);
  };

  const visitScope = (body: SyntaxNode) => {
    const frames = new Map<string, TableColumnRenames>();
    const sqlVars = new Map<string, TableColumnRenames>();
    const frameOf = (node: SyntaxNode | null): TableColumnRenames | undefined => {
      if (!node) return undefined;
      if (node.name === 'VariableName') return frames.get(text.slice(node.from, node.to));
      // df.copy(), df.dropna(…), df[mask], df.loc[mask]
      if (node.name === 'CallExpression') {
        const callee = node.firstChild;
        if (callee?.name === 'MemberExpression') {
          const prop = callee.lastChild;
          if (prop?.name === 'PropertyName' && SAME_COLUMNS.has(text.slice(prop.from, prop.to))) return frameOf(callee.firstChild);
        }
        return undefined;
      }
      if (node.name === 'MemberExpression') {
        const kids = childrenOf(node);
        // A list of columns or a mask keeps a frame; one string picks a Series.
        if (kids[1]?.name === '[' && kids[2] && kids[2].name !== 'String') return frameOf(kids[0] ?? null);
      }
      return undefined;
    };

    const walk = (node: SyntaxNode): void => {
      if (node.name === 'FunctionDefinition' || node.name === 'ClassDefinition') {
        const inner = childrenOf(node).find((c) => c.name === 'Body');
        if (inner) visitScope(inner);
        return;
      }
      if (node.name === 'AssignStatement') {
        const kids = childrenOf(node);
        const value = kids[kids.length - 1]!;
        for (const c of kids) if (c !== value) walk(c);
        walk(value);
        const target = kids[0];
        if (target?.name === 'VariableName' && kids.length === 3) {
          const name = text.slice(target.from, target.to);
          // The value is read before the name is rebound (`df = df.dropna()`).
          const sql = isStringExpr(value) ? tablesIn(value, sqlVars) : undefined;
          const frame = sql ? undefined : (frameOf(value) ?? (value.name === 'CallExpression' || value.name === 'MemberExpression' ? tablesIn(value, sqlVars) : undefined));
          frames.delete(name);
          sqlVars.delete(name);
          if (sql) sqlVars.set(name, sql);
          if (frame) frames.set(name, frame);
        }
        return;
      }
      if (node.name === 'CallExpression') {
        // usecols=[…] / columns=[…] of a call that loads a mapped table.
        const args = childrenOf(node).find((c) => c.name === 'ArgList');
        const loads = args ? tablesIn(args, sqlVars) : undefined;
        if (args && loads) {
          const kids = childrenOf(args);
          kids.forEach((k, i) => {
            if (k.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp' && COLUMN_LIST_ARGS.has(text.slice(k.from, k.to)) && kids[i + 2]) columnStrings(kids[i + 2]!, loads);
          });
        }
        // Methods of a frame: every whole-column string among their arguments.
        const callee = node.firstChild;
        if (callee?.name === 'MemberExpression' && args) {
          const owner = frameOf(callee.firstChild);
          const method = callee.lastChild ? text.slice(callee.lastChild.from, callee.lastChild.to) : '';
          if (owner) {
            const kids = childrenOf(args);
            kids.forEach((k, i) => {
              const keyword = k.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp';
              if (keyword || k.name === 'AssignOp') return;
              const isColumnsKw = kids[i - 1]?.name === 'AssignOp' && text.slice(kids[i - 2]!.from, kids[i - 2]!.to) === 'columns';
              columnStrings(k, owner, method === 'rename' && isColumnsKw);
            });
          }
        }
      }
      if (node.name === 'MemberExpression') {
        const kids = childrenOf(node);
        const owner = kids[0] ? frameOf(kids[0]) : undefined;
        if (kids[1]?.name === '.' && kids[2]?.name === 'PropertyName') {
          const prop = text.slice(kids[2].from, kids[2].to);
          const r = owner?.get(prop.toLowerCase());
          if (r) out.push({ start: kids[2].from, end: kids[2].to, name: prop, verdict: { kind: 'rename', rename: r }, pandas: true });
        } else if (kids[1]?.name === '[') {
          // df["col"], df[["a", "col"]], df.loc[mask, "col"]
          const base = kids[0];
          const loc = base?.name === 'MemberExpression' && /^(?:loc|at)$/.test(text.slice(base.lastChild?.from ?? 0, base.lastChild?.to ?? 0)) ? frameOf(base.firstChild) : undefined;
          const renames = owner ?? loc;
          const known = renames !== undefined || base?.name === 'VariableName';
          if (known) for (const k of kids.slice(2, -1)) columnStrings(k, renames);
        }
      }
      for (const c of childrenOf(node)) walk(c);
    };
    for (const c of childrenOf(body)) walk(c);
  };
  visitScope(tree.topNode);
  return out;
}
