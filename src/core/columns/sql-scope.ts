/**
 * Column references of one SQL text, resolved through the statement's scopes on sql-parser-cst's BigQuery
 * concrete syntax tree. Each identifier spelled like a mapped legacy column of a mapped table in its
 * statement is classified: a reference to that column (renamed by the fix), not one (an alias, a field,
 * another table's column), or a possible reference where the scopes cannot say (reported without a fix).
 *
 * Tables are not known by schema, so resolution leans on BigQuery's own rule that an unqualified column
 * must be unambiguous: if exactly one relation in scope maps the name and no relation is known to expose
 * it otherwise, valid SQL can only mean that relation's column.
 */
import type { ColumnRename, TableColumnRenames } from './catalog';

/** A node of the concrete syntax tree, typed loosely: the walker reads fields by name. */
export interface CstNode {
  type: string;
  range?: [number, number];
  name?: string;
  text?: string;
  [field: string]: unknown;
}

export type ColumnVerdict = { kind: 'rename'; rename: ColumnRename; unsafe?: string } | { kind: 'possible'; why: string };

export interface ColumnFinding {
  /** The identifier's range (inside backticks when it is quoted). */
  start: number;
  end: number;
  /** The name as written (without backticks). */
  name: string;
  verdict: ColumnVerdict;
  /** Found as pandas column access rather than in SQL. */
  pandas?: true;
}

/** Column renames of the table whose name lies in [start, end) of the text, or undefined when no mapped table is there. */
export type TableLookup = (start: number, end: number) => TableColumnRenames | undefined;

interface Relation {
  /** Lower-cased names it is qualified by: its alias, or the table name's last part. */
  names: string[];
  /** Columns that, read through this relation, are mapped legacy columns. */
  renames: Map<string, ColumnRename>;
  /** Other columns it is known to expose (derived relations). */
  exposes: Set<string>;
  /** Every column it exposes is known (a derived relation without a star over an unknown table). */
  complete: boolean;
}

interface Scope {
  relations: Relation[];
  parent?: Scope;
  /** Lower-cased columns merged by JOIN … USING. */
  using: Set<string>;
  /** Select-list aliases, visible in GROUP BY, HAVING, QUALIFY and ORDER BY: the rename when the item is that column unaliased. */
  aliases?: Map<string, ColumnRename | 'other'>;
}

const isNode = (x: unknown): x is CstNode => typeof x === 'object' && x !== null && typeof (x as CstNode).type === 'string';
const lower = (s: string) => s.toLowerCase();
const emptyRelation = (names: string[]): Relation => ({ names, renames: new Map(), exposes: new Set(), complete: false });

function children(node: CstNode): CstNode[] {
  const out: CstNode[] = [];
  for (const key in node) {
    if (key === 'range' || key === 'type') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Identifiers of a member chain (`a.b.c`), or undefined when a part is not a plain identifier. */
function chainOf(node: CstNode): CstNode[] | undefined {
  if (node.type === 'identifier') return [node];
  if (node.type === 'member_expr' && isNode(node.object) && isNode(node.property) && node.property.type === 'identifier') {
    const head = chainOf(node.object);
    return head ? [...head, node.property] : undefined;
  }
  return undefined;
}

export class SqlColumnResolver {
  private readonly verdicts = new Map<CstNode, ColumnVerdict | 'ignore'>();
  /** Lower-cased legacy column names of the mapped tables in the text: only these identifiers are looked at. */
  private candidates = new Set<string>();
  private ctes = new Map<string, Relation>();

  constructor(private readonly lookup: TableLookup) {}

  /** Findings for every statement of a parsed program; `base` is added to every offset. */
  resolveProgram(program: CstNode, base = 0): ColumnFinding[] {
    const out: ColumnFinding[] = [];
    for (const statement of (program.statements as unknown[] | undefined) ?? []) {
      if (!isNode(statement)) continue;
      this.verdicts.clear();
      this.ctes = new Map();
      this.candidates = this.candidatesOf(statement);
      if (this.candidates.size === 0) continue;
      this.statement(statement, undefined);
      this.collect(statement, out, base);
    }
    return out;
  }

  /** Legacy column names of every mapped table named in the statement. */
  private candidatesOf(statement: CstNode): Set<string> {
    const names = new Set<string>();
    const [start, end] = statement.range ?? [0, 0];
    const renames = this.lookup(start, end);
    if (renames) for (const k of renames.keys()) names.add(k);
    return names;
  }

  private collect(node: CstNode, out: ColumnFinding[], base: number): void {
    if (node.type === 'identifier' && node.name !== undefined && node.range && this.candidates.has(lower(node.name))) {
      const v = this.verdicts.get(node) ?? { kind: 'possible', why: 'the statement could not be resolved here' };
      if (v !== 'ignore') {
        const quoted = node.text !== undefined && node.text.startsWith('`');
        out.push({ start: base + node.range[0] + (quoted ? 1 : 0), end: base + node.range[1] - (quoted ? 1 : 0), name: node.name, verdict: v });
      }
      return;
    }
    for (const c of children(node)) this.collect(c, out, base);
  }

  private set(node: CstNode, v: ColumnVerdict | 'ignore'): void {
    if (node.type === 'identifier' && this.candidates.has(lower(node.name ?? '')) && !this.verdicts.has(node)) this.verdicts.set(node, v);
  }

  /** Marks every identifier under `node` as not a column reference (table paths, aliases, function names). */
  private ignoreAll(node: CstNode): void {
    if (node.type === 'identifier') this.set(node, 'ignore');
    for (const c of children(node)) this.ignoreAll(c);
  }

  /** Any statement: a query is resolved; INSERT/UPDATE/DELETE through their clauses; anything else by its nested queries. */
  private statement(node: CstNode, outer: Scope | undefined): Relation | undefined {
    if (node.type === 'select_stmt' || node.type === 'compound_select_stmt') return this.query(node, outer);
    if (Array.isArray(node.clauses)) {
      this.clauses(node.clauses.filter(isNode), outer);
      return undefined;
    }
    for (const c of children(node)) this.statement(c, outer);
    return undefined;
  }

  private query(node: CstNode, outer: Scope | undefined): Relation {
    if (node.type === 'compound_select_stmt') {
      const left = isNode(node.left) ? this.query(node.left, outer) : emptyRelation([]);
      if (isNode(node.right)) this.query(node.right, outer);
      for (const c of children(node)) if (c !== node.left && c !== node.right) this.statement(c, outer);
      return left;
    }
    if (node.type === 'paren_expr' && isNode(node.expr)) return this.query(node.expr, outer);
    if (node.type !== 'select_stmt' || !Array.isArray(node.clauses)) {
      this.statement(node, outer);
      return emptyRelation([]);
    }
    return this.clauses(node.clauses.filter(isNode), outer);
  }

  /** The clauses of one query or DML statement, in scope order: WITH, FROM (and DML targets), then the rest. */
  private clauses(clauses: CstNode[], outer: Scope | undefined): Relation {
    const savedCtes = this.ctes;
    const scope: Scope = { relations: [], parent: outer, using: new Set() };
    for (const c of clauses) if (c.type === 'with_clause') this.withClause(c, outer);
    for (const c of clauses) {
      if (c.type === 'from_clause' && isNode(c.expr)) this.from(c.expr, scope);
      else if ((c.type === 'update_clause' || c.type === 'delete_clause') && isNode(c.tables)) for (const t of listItems(c.tables)) this.from(t, scope);
    }
    let result: Relation = emptyRelation([]);
    for (const c of clauses) {
      switch (c.type) {
        case 'with_clause':
        case 'from_clause':
          break;
        case 'select_clause':
          result = this.selectClause(c, scope);
          break;
        case 'insert_clause': {
          // INSERT INTO t (a, b): the column list names the target's columns.
          const table = isNode(c.table) ? c.table : undefined;
          const target = table ? this.baseRelation(table, undefined) : emptyRelation([]);
          if (table) this.ignoreAll(table);
          if (isNode(c.columns)) for (const col of listItems(c.columns)) if (col.type === 'identifier') this.resolveIn(col, [target], 'insert');
          break;
        }
        case 'update_clause':
        case 'delete_clause':
          break;
        case 'set_clause':
          for (const a of isNode(c.assignments) ? listItems(c.assignments) : []) {
            if (isNode(a.column)) this.expr(a.column, scope);
            if (isNode(a.expr)) this.expr(a.expr, scope);
          }
          break;
        case 'group_by_clause':
        case 'having_clause':
        case 'qualify_clause':
        case 'order_by_clause':
          this.expr(c, { ...scope, aliases: scope.aliases ?? new Map() });
          break;
        default:
          // WHERE, window definitions, LIMIT: select-list aliases are not visible here.
          this.expr(c, { ...scope, aliases: undefined });
      }
    }
    this.ctes = savedCtes;
    return result;
  }

  private withClause(node: CstNode, outer: Scope | undefined): void {
    for (const cte of isNode(node.tables) ? listItems(node.tables) : []) {
      if (cte.type !== 'common_table_expr' || !isNode(cte.table)) continue;
      this.ignoreAll(cte.table);
      const rel = isNode(cte.expr) ? this.query(cte.expr, outer) : emptyRelation([]);
      const name = lower(cte.table.name ?? '');
      this.ctes = new Map(this.ctes).set(name, { ...rel, names: [name] });
    }
  }

  /** Adds the relations of a FROM item to `scope`, left to right (an UNNEST or ON sees the relations before it). */
  private from(node: CstNode, scope: Scope): void {
    switch (node.type) {
      case 'join_expr': {
        if (isNode(node.left)) this.from(node.left, scope);
        if (isNode(node.right)) this.from(node.right, scope);
        const spec = isNode(node.specification) ? node.specification : undefined;
        if (spec?.type === 'join_on_specification' && isNode(spec.expr)) this.expr(spec.expr, scope);
        if (spec?.type === 'join_using_specification' && isNode(spec.expr)) for (const col of listItems(unparen(spec.expr))) this.usingColumn(col, scope);
        return;
      }
      case 'paren_expr':
        if (isNode(node.expr) && (node.expr.type === 'select_stmt' || node.expr.type === 'compound_select_stmt')) scope.relations.push(this.query(node.expr, scope.parent));
        else if (isNode(node.expr)) this.from(node.expr, scope);
        return;
      case 'alias': {
        const alias = isNode(node.alias) ? node.alias : undefined;
        if (alias) this.ignoreAll(alias);
        const before = scope.relations.length;
        if (isNode(node.expr)) this.from(node.expr, scope);
        const added = scope.relations[before];
        if (added && alias?.name) scope.relations[before] = { ...added, names: [lower(alias.name)] };
        return;
      }
      case 'unnest_expr':
        if (isNode(node.expr)) this.expr(node.expr, scope);
        scope.relations.push(emptyRelation([]));
        return;
      case 'identifier':
      case 'member_expr':
      case 'bigquery_quoted_member_expr': {
        scope.relations.push(this.baseRelation(node, scope));
        return;
      }
      default:
        // Table functions and anything else: its queries are resolved, its columns are unknown.
        for (const c of children(node)) {
          if (c.type === 'select_stmt' || c.type === 'compound_select_stmt') this.query(c, scope);
          else this.expr(c, scope);
        }
        scope.relations.push(emptyRelation([]));
    }
  }

  /** A table named in FROM (or a DML target): a CTE, a mapped table, or a table whose columns are unknown. */
  private baseRelation(node: CstNode, scope: Scope | undefined): Relation {
    const chain = chainOf(node.type === 'bigquery_quoted_member_expr' && isNode(node.expr) ? node.expr : node);
    this.ignoreAll(node);
    const last = chain?.[chain.length - 1]?.name;
    if (chain?.length === 1 && last !== undefined) {
      const cte = this.ctes.get(lower(last));
      if (cte) return { ...cte, names: [lower(last)] };
      // A dotted name in one pair of backticks (`p.ds.t`) is one identifier: its last part qualifies columns.
    }
    const [start, end] = node.range ?? [0, 0];
    const renames = this.lookup(start, end);
    const short = last === undefined ? [] : [lower(last.slice(last.lastIndexOf('.') + 1))];
    void scope;
    return { names: short, renames: new Map(renames ?? []), exposes: new Set(), complete: false };
  }

  private usingColumn(col: CstNode, scope: Scope): void {
    if (col.type !== 'identifier' || col.name === undefined) return;
    const name = lower(col.name);
    scope.using.add(name);
    // USING (c) joins c of both sides: it is renamed only when every side maps c to the same column.
    const targets = scope.relations.map((r) => r.renames.get(name));
    const mapped = targets.filter((t): t is ColumnRename => t !== undefined);
    if (mapped.length === 0) return this.set(col, 'ignore');
    const sameTarget = mapped.every((t) => lower(t.to) === lower(mapped[0]!.to));
    if (mapped.length === targets.length && sameTarget) this.set(col, { kind: 'rename', rename: mapped[0]! });
    else this.set(col, { kind: 'possible', why: `JOIN … USING (${col.name}) joins a table where it is not renamed the same way: rewrite the join with ON by hand` });
  }

  private selectClause(node: CstNode, scope: Scope): Relation {
    const out: Relation = { names: [], renames: new Map(), exposes: new Set(), complete: true };
    const aliases = new Map<string, ColumnRename | 'other'>();
    /** Output names of this list by canonical target, to spot two legacy columns consolidated into one output name. */
    const outputs: { node: CstNode; rename: ColumnRename }[] = [];
    for (const item of isNode(node.columns) ? listItems(node.columns) : []) {
      if (item.type === 'alias' && isNode(item.expr) && isNode(item.alias)) {
        this.expr(item.expr, scope);
        this.ignoreAll(item.alias);
        const name = lower(item.alias.name ?? '');
        out.exposes.add(name);
        aliases.set(name, 'other');
        continue;
      }
      if (item.type === 'all_columns' || item.type === 'except_columns' || item.type === 'replace_columns' || (item.type === 'member_expr' && isNode(item.property) && item.property.type === 'all_columns')) {
        this.star(item, scope, out);
        continue;
      }
      this.expr(item, scope);
      // An unaliased column keeps its name as the output column: the rename flows to readers of this query.
      const chain = chainOf(item);
      const last = chain?.[chain.length - 1];
      if (last?.name !== undefined) {
        const v = this.verdicts.get(last);
        const name = lower(last.name);
        if (v !== undefined && v !== 'ignore' && v.kind === 'rename') {
          out.renames.set(name, v.rename);
          aliases.set(name, v.rename);
          outputs.push({ node: last, rename: v.rename });
        } else {
          out.exposes.add(name);
          aliases.set(name, 'other');
        }
      }
    }
    // Two legacy columns consolidated into one canonical name in one SELECT list would give it two columns of one name.
    const byTarget = new Map<string, { node: CstNode; rename: ColumnRename }[]>();
    for (const o of outputs) byTarget.set(lower(o.rename.to), [...(byTarget.get(lower(o.rename.to)) ?? []), o]);
    for (const [to, list] of byTarget) {
      if (list.length < 2 && !out.exposes.has(to)) continue;
      for (const o of list) {
        const v = this.verdicts.get(o.node);
        if (v && v !== 'ignore' && v.kind === 'rename') this.verdicts.set(o.node, { ...v, unsafe: `this SELECT list would then have ${o.rename.to} twice: alias one of them` });
      }
    }
    scope.aliases = aliases;
    return out;
  }

  /** `*`, `t.*`, `* EXCEPT (…)`, `* REPLACE (… AS c)`: exposes the relations' columns; EXCEPT and REPLACE name them. */
  private star(item: CstNode, scope: Scope, out: Relation): void {
    const base = item.type === 'except_columns' || item.type === 'replace_columns' ? (isNode(item.expr) ? item.expr : item) : item;
    let sources = scope.relations;
    if (base.type === 'member_expr' && isNode(base.object)) {
      const q = chainOf(base.object);
      const rel = q?.length === 1 ? this.relationNamed(lower(q[0]!.name ?? ''), scope) : undefined;
      if (q) this.ignoreAll(base.object);
      sources = rel ? [rel] : [];
      if (!rel) out.complete = false;
    }
    const listed = (node: CstNode): CstNode[] => (isNode(node.columns) ? listItems(unparen(node.columns)) : []);
    const except = new Set<string>();
    if (item.type === 'except_columns') {
      for (const col of listed(item)) if (col.type === 'identifier') {
        except.add(lower(col.name ?? ''));
        this.resolveIn(col, sources, 'EXCEPT');
      }
    }
    if (item.type === 'replace_columns') {
      for (const r of listed(item)) {
        if (r.type !== 'alias' || !isNode(r.alias)) continue;
        if (isNode(r.expr)) this.expr(r.expr, scope);
        this.resolveIn(r.alias, sources, 'REPLACE');
      }
    }
    for (const rel of sources) {
      for (const [k, v] of rel.renames) if (!except.has(k)) out.renames.set(k, v);
      for (const k of rel.exposes) if (!except.has(k)) out.exposes.add(k);
      if (!rel.complete) out.complete = false;
    }
    if (item.type === 'except_columns' || item.type === 'replace_columns') {
      // Nothing else in the item is a column reference of this scope.
      for (const c of children(item)) if (c !== item.expr && c !== item.columns) this.ignoreAll(c);
    }
  }

  /** A column named where only `sources` can hold it (EXCEPT, REPLACE, an INSERT column list). */
  private resolveIn(col: CstNode, sources: Relation[], where: string): void {
    const name = lower(col.name ?? '');
    const mapped = sources.map((r) => r.renames.get(name)).filter((t): t is ColumnRename => t !== undefined);
    if (mapped.length === 0) return this.set(col, 'ignore');
    const same = mapped.every((t) => lower(t.to) === lower(mapped[0]!.to));
    const known = sources.some((r) => !r.renames.has(name) && r.exposes.has(name));
    if (same && !known) this.set(col, { kind: 'rename', rename: mapped[0]! });
    else this.set(col, { kind: 'possible', why: `${where} (${col.name}) may name more than one table's column` });
  }

  private relationNamed(name: string, scope: Scope | undefined): Relation | undefined {
    for (let s = scope; s; s = s.parent) {
      const r = s.relations.find((x) => x.names.includes(name));
      if (r) return r;
    }
    return undefined;
  }

  /** Column references inside an expression (or any clause), resolved in `scope`. */
  private expr(node: CstNode, scope: Scope): void {
    switch (node.type) {
      case 'identifier':
        return this.unqualified(node, scope);
      case 'member_expr': {
        const chain = chainOf(node);
        if (chain) return this.qualified(chain, scope);
        if (isNode(node.object)) this.expr(node.object, scope);
        if (isNode(node.property)) this.ignoreAll(node.property);
        return;
      }
      case 'select_stmt':
      case 'compound_select_stmt':
        this.query(node, scope);
        return;
      case 'func_call': {
        const fname: unknown = node['name'];
        if (isNode(fname)) this.ignoreAll(fname);
        for (const c of children(node)) {
          if (c === fname) continue;
          if (c.type === 'over_arg' && isNode(c.window) && c.window.type === 'identifier') this.ignoreAll(c.window);
          else this.expr(c, scope);
        }
        return;
      }
      case 'alias':
        if (isNode(node.expr)) this.expr(node.expr, scope);
        if (isNode(node.alias)) this.ignoreAll(node.alias);
        return;
      case 'named_window':
      case 'window_definition':
        for (const c of children(node)) {
          if (c.type === 'identifier' && (c === (node['name'] as unknown) || c === node.baseWindowName)) this.ignoreAll(c);
          else this.expr(c, scope);
        }
        return;
      default:
        if (node.type.startsWith('data_type') || node.type === 'keyword') return this.ignoreAll(node);
        for (const c of children(node)) this.expr(c, scope);
    }
  }

  private unqualified(node: CstNode, scope: Scope): void {
    const name = lower(node.name ?? '');
    if (!this.candidates.has(name)) return;
    let first = true;
    for (let s: Scope | undefined = scope; s; s = s.parent, first = false) {
      if (first && s.aliases?.has(name)) {
        const a = s.aliases.get(name)!;
        return this.set(node, a === 'other' ? { kind: 'possible', why: `${node.name} is also a name of the SELECT list here` } : { kind: 'rename', rename: a });
      }
      // A range variable (an UNNEST or table alias) of that name is a value, not a column.
      if (s.relations.some((r) => r.names.includes(name))) return this.set(node, 'ignore');
      const mapped = s.relations.filter((r) => r.renames.has(name));
      const others = s.relations.filter((r) => !r.renames.has(name) && r.exposes.has(name));
      if (mapped.length === 0 && others.length === 0) {
        // Not here: an outer scope holds it only when every relation here is fully known.
        if (s.relations.every((r) => r.complete)) continue;
        const outer = this.outerHas(name, s.parent);
        return this.set(node, outer ? { kind: 'possible', why: `${node.name} may be a column of a table in this subquery rather than of the outer query's` } : 'ignore');
      }
      if (others.length > 0) return this.set(node, { kind: 'possible', why: `${node.name} is a column of more than one table here` });
      const targets = mapped.map((r) => r.renames.get(name)!);
      if (targets.every((t) => lower(t.to) === lower(targets[0]!.to)) && (mapped.length === 1 || s.using.has(name) || targets.every((t) => t.mappingIndex === targets[0]!.mappingIndex))) {
        if (mapped.length > 1 && !s.using.has(name)) return this.set(node, { kind: 'possible', why: `${node.name} is a column of more than one table here: qualify it` });
        return this.set(node, { kind: 'rename', rename: targets[0]! });
      }
      return this.set(node, { kind: 'possible', why: `${node.name} is a column of more than one table here` });
    }
    this.set(node, 'ignore');
  }

  private outerHas(name: string, scope: Scope | undefined): boolean {
    for (let s = scope; s; s = s.parent) if (s.relations.some((r) => r.renames.has(name))) return true;
    return false;
  }

  private qualified(chain: CstNode[], scope: Scope): void {
    const [head, col, ...fields] = chain;
    for (const f of fields) this.ignoreAll(f);
    const rel = this.relationNamed(lower(head!.name ?? ''), scope);
    if (rel) {
      this.set(head!, 'ignore');
      const rename = rel.renames.get(lower(col!.name ?? ''));
      return this.set(col!, rename ? { kind: 'rename', rename } : 'ignore');
    }
    // Not a range variable, so a column (`struct_column.field`): the head is the column, the rest are fields.
    this.unqualified(head!, scope);
    this.set(col!, 'ignore');
  }
}

function listItems(node: CstNode): CstNode[] {
  const n = unparen(node);
  if (n.type === 'list_expr' && Array.isArray(n.items)) return n.items.filter(isNode);
  return [n];
}

function unparen(node: CstNode): CstNode {
  return node.type === 'paren_expr' && isNode(node.expr) ? unparen(node.expr) : node;
}
