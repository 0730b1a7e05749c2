/**
 * BigQuery's DDL for views, materialized views and routines, read with the tokens of ./tokens:
 * `parseDefinitionStatement` reads one `CREATE [OR REPLACE] VIEW|MATERIALIZED VIEW|FUNCTION|TABLE FUNCTION|PROCEDURE …`
 * into a Definition (the body kept exactly as written, a view's column list and its descriptions
 * too) and says where it is not one; ./render writes the one canonical statement back (re-exported
 * here). Pure, imports only types, the tokens and the identifier rules: the local warehouse uses it
 * to run such DDL, the definitions feature to pull and push.
 */
import { validateIdentifier } from '../warehouse/identifiers';
import { stringValue, tokenize, type Token } from './tokens';
import type { Definition, DefinitionColumn, DefinitionKind, DefinitionOptions } from '../warehouse/types';

export { kindWords, normalizeSignature, renderDefinition, sameDefinition } from './render';

/** Where and why a text is not the statement expected. */
export interface DdlProblem {
  /** Offset into the parsed text. */
  offset: number;
  message: string;
}

export interface ParsedDefinition {
  definition: Definition;
  /** `OR REPLACE` was written. */
  replace: boolean;
  ifNotExists: boolean;
  /** The name as written (project, dataset, name parts unquoted). */
  nameParts: string[];
  /** Offset of the CREATE keyword and of the object's name. */
  createAt: number;
  nameAt: number;
}

export type ParseOutcome = { ok: true; parsed: ParsedDefinition } | { ok: false; problem: DdlProblem };

const OPTION_KEYS = ['friendly_name', 'description', 'labels', 'expiration_timestamp', 'enable_refresh', 'refresh_interval_minutes', 'library'] as const;

/** Reads tokens skipping whitespace and comments. */
class Cursor {
  private k = 0;
  readonly sig: Token[];
  constructor(
    readonly text: string,
    tokens: Token[],
  ) {
    this.sig = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  }
  get index(): number {
    return this.k;
  }
  set index(v: number) {
    this.k = v;
  }
  peek(ahead = 0): Token | undefined {
    return this.sig[this.k + ahead];
  }
  next(): Token | undefined {
    return this.sig[this.k++];
  }
  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }
  isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'punct' && t.text === p;
  }
  /** Offset of the next significant token, or the end of the text. */
  get offset(): number {
    return this.peek()?.start ?? this.text.length;
  }
}

class ParseError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function fail(offset: number, message: string): never {
  throw new ParseError(offset, message);
}

const describe = (t: Token | undefined) => (t ? JSON.stringify(t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text) : 'the end of the file');

/** The index (in cursor.sig) of the `)` closing the `(` at `open`. */
function closingParen(cur: Cursor, open: number): number {
  let depth = 0;
  for (let k = open; k < cur.sig.length; k++) {
    const t = cur.sig[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    if (depth === 0) return k;
  }
  fail(cur.sig[open]!.start, 'this "(" is never closed');
}

/** A dotted name: `p.d.n`, `p`.`d`.`n`, d.n, cbi-v14.d.n — parts without quotes. */
function readName(cur: Cursor): { parts: string[]; at: number } {
  const first = cur.peek();
  if (!first || (first.kind !== 'word' && first.kind !== 'quoted')) fail(cur.offset, `expected the object's name, found ${describe(first)}`);
  let text = '';
  let last: Token | undefined;
  while (cur.peek()) {
    const t = cur.peek()!;
    const adjacent = last === undefined || t.start === last.end;
    if (!adjacent) break;
    if (t.kind === 'quoted') text += t.text.slice(1, t.text.endsWith('`') && t.text.length > 1 ? -1 : undefined);
    else if (t.kind === 'word' || t.kind === 'number' || (t.kind === 'punct' && (t.text === '.' || t.text === '-' || t.text === ':'))) text += t.text;
    else break;
    last = cur.next();
  }
  return { parts: text.split('.'), at: first.start };
}

function readOptions(cur: Cursor, kind: DefinitionKind): DefinitionOptions {
  const open = cur.next()!;
  if (!(open.kind === 'punct' && open.text === '(')) fail(open.start, 'expected "(" after OPTIONS');
  const options: DefinitionOptions = {};
  if (cur.isPunct(')')) {
    cur.next();
    return options;
  }
  for (;;) {
    const key = cur.next();
    if (key?.kind !== 'word') fail(key?.start ?? cur.text.length, `expected an option name, found ${describe(key)}`);
    const name = key.text.toLowerCase() as (typeof OPTION_KEYS)[number];
    if (!(OPTION_KEYS as readonly string[]).includes(name)) {
      fail(key.start, `option ${key.text} is not one bqmigrate reads back (${OPTION_KEYS.join(', ')}); set it by hand after the step`);
    }
    const eq = cur.next();
    if (!(eq?.kind === 'punct' && eq.text === '=')) fail(eq?.start ?? cur.text.length, `expected "=" after ${key.text}`);
    readOptionValue(cur, name, options, kind);
    const sep = cur.next();
    if (sep?.kind === 'punct' && sep.text === ')') return options;
    if (!(sep?.kind === 'punct' && sep.text === ',')) fail(sep?.start ?? cur.text.length, `expected "," or ")" in OPTIONS, found ${describe(sep)}`);
  }
}

function readString(cur: Cursor, what: string): string {
  const t = cur.next();
  if (t?.kind !== 'string') fail(t?.start ?? cur.text.length, `${what} must be a string literal, found ${describe(t)}`);
  return stringValue(t.text);
}

function readOptionValue(cur: Cursor, name: (typeof OPTION_KEYS)[number], o: DefinitionOptions, kind: DefinitionKind): void {
  const at = cur.offset;
  if (cur.isWord('NULL')) {
    cur.next();
    return;
  }
  switch (name) {
    case 'description':
      o.description = readString(cur, 'description');
      return;
    case 'friendly_name':
      o.friendlyName = readString(cur, 'friendly_name');
      return;
    case 'expiration_timestamp': {
      if (cur.isWord('TIMESTAMP')) cur.next();
      const v = readString(cur, 'expiration_timestamp');
      const ms = Date.parse(v.includes('T') || /[zZ+]/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
      if (!Number.isFinite(ms)) fail(at, `expiration_timestamp ${JSON.stringify(v)} is not a timestamp`);
      o.expirationTimestamp = new Date(ms).toISOString();
      return;
    }
    case 'enable_refresh': {
      const t = cur.next();
      if (t?.kind !== 'word' || !/^(TRUE|FALSE)$/i.test(t.text)) fail(t?.start ?? at, 'enable_refresh is TRUE or FALSE');
      o.enableRefresh = t.text.toUpperCase() === 'TRUE';
      return;
    }
    case 'refresh_interval_minutes': {
      const t = cur.next();
      if (t?.kind !== 'number' || !Number.isFinite(Number(t.text))) fail(t?.start ?? at, 'refresh_interval_minutes is a number');
      o.refreshIntervalMinutes = Number(t.text);
      return;
    }
    case 'library':
    case 'labels': {
      const open = cur.next();
      if (!(open?.kind === 'punct' && open.text === '[')) fail(open?.start ?? at, `${name} is a list in [ ]`);
      const list: string[] = [];
      const labels: Record<string, string> = {};
      while (!cur.isPunct(']')) {
        if (name === 'library') list.push(readString(cur, 'a library'));
        else {
          const p = cur.next();
          if (!(p?.kind === 'punct' && p.text === '(')) fail(p?.start ?? at, 'a label is ("key", "value")');
          const k = readString(cur, 'a label key');
          if (!cur.isPunct(',')) fail(cur.offset, 'a label is ("key", "value")');
          cur.next();
          labels[k] = readString(cur, 'a label value');
          if (!cur.isPunct(')')) fail(cur.offset, 'a label is ("key", "value")');
          cur.next();
        }
        if (cur.isPunct(',')) cur.next();
        else if (!cur.isPunct(']')) fail(cur.offset, `expected "," or "]" in ${name}`);
      }
      cur.next();
      if (name === 'library') o.library = list;
      else o.labels = labels;
      if (name === 'library' && kind !== 'FUNCTION' && kind !== 'AGGREGATE_FUNCTION') fail(at, 'library is an option of JavaScript functions');
      return;
    }
  }
}

/** A view's column list, `(a OPTIONS (description = '…'), b)`: names unique, `description` the one column option. */
function readColumnList(cur: Cursor): DefinitionColumn[] {
  const open = cur.next()!;
  const columns: DefinitionColumn[] = [];
  for (;;) {
    const t = cur.next();
    if (t?.kind !== 'word' && t?.kind !== 'quoted') fail(t?.start ?? cur.text.length, `expected a column name in the view's column list, found ${describe(t)}`);
    const name = t.kind === 'quoted' ? t.text.slice(1, t.text.endsWith('`') && t.text.length > 1 ? -1 : undefined) : t.text;
    const bad = validateIdentifier('column', name);
    if (bad) fail(t.start, bad);
    if (columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) fail(t.start, `column ${name} is named twice in the column list; each name must be unique`);
    const column: DefinitionColumn = { name };
    if (cur.isWord('OPTIONS')) {
      cur.next();
      readColumnOptions(cur, column);
    }
    columns.push(column);
    const sep = cur.next();
    if (sep?.kind === 'punct' && sep.text === ')') return columns;
    if (!(sep?.kind === 'punct' && sep.text === ',')) {
      fail(sep?.start ?? open.start, sep ? `expected "," or ")" in the column list, found ${describe(sep)}` : 'this "(" of the column list is never closed');
    }
  }
}

/** `OPTIONS (description = '…')` after a column of a view's column list. */
function readColumnOptions(cur: Cursor, column: DefinitionColumn): void {
  const open = cur.next();
  if (!(open?.kind === 'punct' && open.text === '(')) fail(open?.start ?? cur.text.length, 'expected "(" after OPTIONS');
  if (cur.isPunct(')')) {
    cur.next();
    return;
  }
  for (;;) {
    const key = cur.next();
    if (key?.kind !== 'word') fail(key?.start ?? cur.text.length, `expected a column option name, found ${describe(key)}`);
    if (key.text.toLowerCase() !== 'description') fail(key.start, `option ${key.text} is not one a view column takes (description)`);
    const eq = cur.next();
    if (!(eq?.kind === 'punct' && eq.text === '=')) fail(eq?.start ?? cur.text.length, `expected "=" after ${key.text}`);
    if (cur.isWord('NULL')) {
      cur.next();
      delete column.description;
    } else column.description = readString(cur, 'a column description');
    const sep = cur.next();
    if (sep?.kind === 'punct' && sep.text === ')') return;
    if (!(sep?.kind === 'punct' && sep.text === ',')) fail(sep?.start ?? cur.text.length, `expected "," or ")" in the column's OPTIONS, found ${describe(sep)}`);
  }
}

/** Text of significant tokens [from, to] as written (whitespace and comments between them kept). */
function sliceTokens(cur: Cursor, from: number, to: number): string {
  if (to < from) return '';
  return cur.text.slice(cur.sig[from]!.start, cur.sig[to]!.end);
}

const CLAUSE_WORDS = new Set(['RETURNS', 'LANGUAGE', 'OPTIONS', 'AS', 'DETERMINISTIC', 'NOT', 'REMOTE', 'WITH', 'BEGIN', 'PARTITION', 'CLUSTER']);

/** Tokens up to (not including) the next clause keyword at bracket depth 0. */
function readUntilClause(cur: Cursor, stop: Set<string> = CLAUSE_WORDS): string {
  const from = cur.index;
  let depth = 0;
  while (cur.peek()) {
    const t = cur.peek()!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '<')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '>')) depth--;
    else if (depth === 0 && t.kind === 'word' && stop.has(t.text.toUpperCase())) break;
    else if (depth === 0 && t.kind === 'punct' && t.text === ';') break;
    cur.next();
  }
  return sliceTokens(cur, from, cur.index - 1).trim();
}

/** Index just past the END that closes the BEGIN at `open` (BEGIN/CASE open; END IF/LOOP/WHILE/REPEAT/FOR close other blocks). */
function blockEnd(cur: Cursor, open: number): number {
  let depth = 0;
  for (let k = open; k < cur.sig.length; k++) {
    const t = cur.sig[k]!;
    if (t.kind !== 'word') continue;
    const w = t.text.toUpperCase();
    const next = cur.sig[k + 1];
    if ((w === 'BEGIN' && !(next?.kind === 'word' && /^TRANSACTION$/i.test(next.text))) || w === 'CASE') depth++;
    else if (w === 'END' && !(next?.kind === 'word' && /^(IF|LOOP|WHILE|REPEAT|FOR)$/i.test(next.text))) {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  fail(cur.sig[open]!.start, 'this BEGIN has no matching END');
}

/** Reads one CREATE statement; throws ParseError. `cur` ends just past the statement (its `;` consumed). */
function readCreate(cur: Cursor): ParsedDefinition {
  const create = cur.next();
  if (!(create?.kind === 'word' && create.text.toUpperCase() === 'CREATE')) {
    fail(create?.start ?? cur.text.length, `expected a CREATE statement (CREATE OR REPLACE VIEW|MATERIALIZED VIEW|FUNCTION|TABLE FUNCTION|PROCEDURE …), found ${describe(create)}`);
  }
  let replace = false;
  if (cur.isWord('OR') && cur.isWord('REPLACE', 1)) {
    cur.next();
    cur.next();
    replace = true;
  }
  if (cur.isWord('TEMP') || cur.isWord('TEMPORARY')) fail(cur.offset, 'a temporary object is not a warehouse definition');
  let kind: DefinitionKind;
  const kw = cur.next();
  const w = kw?.kind === 'word' ? kw.text.toUpperCase() : '';
  if (w === 'VIEW') kind = 'VIEW';
  else if (w === 'MATERIALIZED' && cur.isWord('VIEW')) {
    cur.next();
    kind = 'MATERIALIZED_VIEW';
  } else if (w === 'FUNCTION') kind = 'FUNCTION';
  else if (w === 'AGGREGATE' && cur.isWord('FUNCTION')) {
    cur.next();
    kind = 'AGGREGATE_FUNCTION';
  } else if (w === 'TABLE' && cur.isWord('FUNCTION')) {
    cur.next();
    kind = 'TABLE_FUNCTION';
  } else if (w === 'PROCEDURE') kind = 'PROCEDURE';
  else fail(kw?.start ?? cur.text.length, `expected VIEW, MATERIALIZED VIEW, FUNCTION, TABLE FUNCTION or PROCEDURE after CREATE${replace ? ' OR REPLACE' : ''}, found ${describe(kw)}`);
  let ifNotExists = false;
  if (cur.isWord('IF') && cur.isWord('NOT', 1) && cur.isWord('EXISTS', 2)) {
    cur.index += 3;
    ifNotExists = true;
  }
  const { parts, at: nameAt } = readName(cur);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) fail(nameAt, `the name must be dataset.name or project.dataset.name, got ${JSON.stringify(parts.join('.'))}`);
  const [project, dataset, name] = parts.length === 3 ? parts : [undefined, ...parts];
  const def: Definition = { kind, ...(project !== undefined ? { project } : {}), dataset: dataset!, name: name!, body: '', options: {} };
  const isRoutine = kind !== 'VIEW' && kind !== 'MATERIALIZED_VIEW';
  if (isRoutine) {
    if (!cur.isPunct('(')) fail(cur.offset, `expected "(" and the ${kind === 'PROCEDURE' ? 'procedure' : 'function'}'s arguments after its name`);
    const open = cur.index;
    const close = closingParen(cur, open);
    def.arguments = close > open + 1 ? sliceTokens(cur, open + 1, close - 1).trim() : '';
    cur.index = close + 1;
  } else if (cur.isPunct('(') && kind === 'VIEW') {
    def.columns = readColumnList(cur);
  } else if (cur.isPunct('(')) {
    fail(cur.offset, "BigQuery's CREATE MATERIALIZED VIEW takes no column list; remove it (name the columns with aliases in the query)");
  }
  // Clauses, in any order, until AS (BEGIN for procedures).
  for (;;) {
    const t = cur.peek();
    if (!t) fail(cur.text.length, kind === 'PROCEDURE' ? 'expected the procedure body, BEGIN … END' : 'expected AS and the body');
    const word = t.kind === 'word' ? t.text.toUpperCase() : '';
    if (word === 'OPTIONS' && cur.isPunct('(', 1)) {
      cur.next();
      def.options = readOptions(cur, kind);
    } else if (word === 'RETURNS' && isRoutine && kind !== 'PROCEDURE') {
      cur.next();
      def.returns = readUntilClause(cur);
      if (!def.returns) fail(cur.offset, 'expected a type after RETURNS');
    } else if (word === 'LANGUAGE' && isRoutine) {
      cur.next();
      const lang = cur.next();
      if (lang?.kind !== 'word') fail(lang?.start ?? cur.text.length, 'expected a language name after LANGUAGE');
      def.language = lang.text.toLowerCase();
    } else if (word === 'PARTITION' && kind === 'MATERIALIZED_VIEW' && cur.isWord('BY', 1)) {
      cur.index += 2;
      def.partitionBy = readUntilClause(cur);
    } else if (word === 'CLUSTER' && kind === 'MATERIALIZED_VIEW' && cur.isWord('BY', 1)) {
      cur.index += 2;
      def.clusterBy = readUntilClause(cur);
    } else if (word === 'AS' && kind !== 'PROCEDURE') {
      cur.next();
      break;
    } else if (word === 'BEGIN' && kind === 'PROCEDURE') {
      break;
    } else {
      fail(t.start, `${describe(t)} is not a clause bqmigrate can re-create here (expected ${kind === 'PROCEDURE' ? 'OPTIONS or BEGIN' : isRoutine ? 'RETURNS, LANGUAGE, OPTIONS or AS' : kind === 'MATERIALIZED_VIEW' ? 'PARTITION BY, CLUSTER BY, OPTIONS or AS' : 'OPTIONS or AS'})`);
    }
  }
  if (kind === 'PROCEDURE') {
    const open = cur.index;
    const end = blockEnd(cur, open);
    def.body = sliceTokens(cur, open, end - 1);
    cur.index = end;
  } else if ((kind === 'FUNCTION' || kind === 'AGGREGATE_FUNCTION') && def.language === undefined) {
    if (!cur.isPunct('(')) fail(cur.offset, 'a SQL function body is an expression in parentheses: AS (…)');
    const open = cur.index;
    const close = closingParen(cur, open);
    def.body = cur.text.slice(cur.sig[open]!.end, cur.sig[close]!.start);
    cur.index = close + 1;
  } else if (def.language !== undefined) {
    const t = cur.next();
    if (t?.kind !== 'string') fail(t?.start ?? cur.text.length, `a ${def.language} function body is a string literal, e.g. AS r"""…"""`);
    def.body = stringValue(t.text);
  } else {
    const from = cur.index;
    while (cur.peek() && !cur.isPunct(';')) cur.next();
    if (cur.index === from) fail(cur.offset, 'expected the query after AS');
    // Everything up to the `;` (or the end), comments included: BigQuery keeps the query as written.
    def.body = cur.text.slice(cur.sig[from]!.start, cur.peek()?.start ?? cur.text.length).trimEnd();
  }
  if (cur.isPunct(';')) cur.next();
  return { definition: def, replace, ifNotExists, nameParts: parts, createAt: create.start, nameAt };
}

/**
 * One CREATE statement of a view, materialized view or routine (leading comments allowed, one
 * trailing `;`). Anything else — another statement, a second statement after it — is a problem
 * at its offset.
 */
export function parseDefinitionStatement(text: string): ParseOutcome {
  const cur = new Cursor(text, tokenize(text));
  try {
    const parsed = readCreate(cur);
    const rest = cur.peek();
    if (rest) fail(rest.start, `only one statement may follow the definition; found ${describe(rest)} after it`);
    return { ok: true, parsed };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, problem: { offset: err.offset, message: err.message } };
    throw err;
  }
}

export interface DropStatement {
  kind: DefinitionKind;
  parts: string[];
  ifExists: boolean;
}

/** `DROP VIEW|MATERIALIZED VIEW|FUNCTION|TABLE FUNCTION|PROCEDURE [IF EXISTS] name`, or undefined. */
export function parseDropStatement(text: string): DropStatement | undefined {
  const cur = new Cursor(text, tokenize(text));
  if (!cur.isWord('DROP')) return undefined;
  cur.next();
  let kind: DefinitionKind | undefined;
  if (cur.isWord('VIEW')) kind = 'VIEW';
  else if (cur.isWord('MATERIALIZED') && cur.isWord('VIEW', 1)) kind = 'MATERIALIZED_VIEW';
  else if (cur.isWord('FUNCTION')) kind = 'FUNCTION';
  else if (cur.isWord('TABLE') && cur.isWord('FUNCTION', 1)) kind = 'TABLE_FUNCTION';
  else if (cur.isWord('PROCEDURE')) kind = 'PROCEDURE';
  if (!kind) return undefined;
  cur.index += kind === 'MATERIALIZED_VIEW' || kind === 'TABLE_FUNCTION' ? 2 : 1;
  let ifExists = false;
  if (cur.isWord('IF') && cur.isWord('EXISTS', 1)) {
    cur.index += 2;
    ifExists = true;
  }
  try {
    const { parts } = readName(cur);
    if (cur.isPunct(';')) cur.next();
    if (cur.peek()) return undefined;
    return { kind, parts, ifExists };
  } catch {
    return undefined;
  }
}

/**
 * Splits a script into statements on `;` outside strings, comments and quoted names, keeping a
 * procedure's BEGIN … END in one piece. Returns each statement's text and offset.
 */
export function splitScript(sql: string): { text: string; start: number }[] {
  const tokens = tokenize(sql);
  const out: { text: string; start: number }[] = [];
  let start = 0;
  let depth = 0;
  let procedure = false;
  let words = 0;
  const flush = (end: number) => {
    const text = sql.slice(start, end);
    if (tokens.some((t) => t.start >= start && t.end <= end && t.kind !== 'space' && t.kind !== 'comment' && !(t.kind === 'punct' && t.text === ';'))) out.push({ text: text.trim(), start: start + (text.length - text.trimStart().length) });
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'word') {
      const w = t.text.toUpperCase();
      if (words < 6 && w === 'PROCEDURE') procedure = true;
      words++;
      if (procedure) {
        let j = k + 1;
        while (tokens[j] && (tokens[j]!.kind === 'space' || tokens[j]!.kind === 'comment')) j++;
        const next = tokens[j];
        if ((w === 'BEGIN' && !(next?.kind === 'word' && /^TRANSACTION$/i.test(next.text))) || w === 'CASE') depth++;
        else if (w === 'END' && !(next?.kind === 'word' && /^(IF|LOOP|WHILE|REPEAT|FOR)$/i.test(next.text))) depth = Math.max(0, depth - 1);
      }
    } else if (t.kind === 'punct' && t.text === ';' && depth === 0) {
      flush(t.start);
      start = t.end;
      procedure = false;
      words = 0;
    }
  }
  flush(sql.length);
  return out;
}

/** Views and materialized views share the tables' namespace; routines have their own. */
export function isTableKind(kind: DefinitionKind): boolean {
  return kind === 'VIEW' || kind === 'MATERIALIZED_VIEW';
}

/**
 * Why a definition's name cannot go into SQL (a backtick, `;`, a control character, …), or
 * undefined. Views follow the table rules, routines the stricter routine rules (letters, digits,
 * underscores), datasets and projects their own.
 */
export function definitionNameProblem(def: Pick<Definition, 'kind' | 'project' | 'dataset' | 'name'>): string | undefined {
  return (
    (def.project !== undefined ? validateIdentifier('project', def.project) : undefined) ??
    validateIdentifier('dataset', def.dataset) ??
    (isTableKind(def.kind) ? validateIdentifier('table', def.name) : validateIdentifier('column', def.name)?.replace(/^column name/, 'routine name'))
  );
}
