/**
 * BigQuery DDL that DuckDB cannot run but the local warehouse must honour, so a rehearsal
 * (and the fake BigQuery server, which runs on the local warehouse) keeps the same table
 * metadata BigQuery would: `PARTITION BY`, `CLUSTER BY` and `OPTIONS (…)` of a CREATE TABLE,
 * column `OPTIONS (description = …)` in its column list, `ALTER TABLE … SET OPTIONS`,
 * `ALTER TABLE … ALTER COLUMN … SET OPTIONS`, and `ALTER TABLE … RENAME TO` (metadata moves
 * with the table). `extractDdl` returns the SQL with those clauses removed and the effects to
 * record once the statements have run.
 */
import { WarehouseError } from './errors';
import { formatPartitioning, INGESTION_TIME, PARTITION_UNITS, type PartitionUnit } from './table-meta';
import { tokenize, type Token } from './translate';
import type { TableMetadataPatch } from './types';
import { appendAll } from '../arrays';

export interface TableRef {
  dataset: string;
  table: string;
}

export type DdlEffect =
  | { kind: 'create'; target: TableRef; replace: boolean; partitioning?: string; clustering?: string[]; partitionExpirationMs?: number; patch: TableMetadataPatch }
  | { kind: 'patch'; target: TableRef; patch: TableMetadataPatch }
  | { kind: 'rename'; target: TableRef; to: string };

export interface ExtractedDdl {
  /** The SQL without the clauses DuckDB cannot run (statements made only of them are gone). */
  sql: string;
  effects: DdlEffect[];
}

const isSpace = (t: Token) => (t.kind === 'other' && /\s/.test(t.text)) || t.kind === 'comment';
const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toUpperCase() === w;

/** A string literal's value: BigQuery backslash escapes and SQL's doubled quotes both understood. */
function stringValue(text: string): string {
  const q = text[0]!;
  const body = text.slice(1, text.endsWith(q) && text.length > 1 ? -1 : undefined);
  return body.replace(/\\(x[0-9a-fA-F]{2}|.)|(['"])\2/g, (_m, esc: string | undefined, dq: string | undefined) => {
    if (dq) return dq;
    if (esc!.startsWith('x')) return String.fromCharCode(parseInt(esc!.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[esc!] ?? esc!;
  });
}

class Cursor {
  constructor(
    readonly tokens: Token[],
    public i: number,
    readonly end: number,
  ) {}
  /** Index of the next significant token at or after i, or end. */
  skip(): number {
    while (this.i < this.end && isSpace(this.tokens[this.i]!)) this.i++;
    return this.i;
  }
  peek(): Token | undefined {
    this.skip();
    return this.i < this.end ? this.tokens[this.i] : undefined;
  }
  take(): Token | undefined {
    const t = this.peek();
    if (t) this.i++;
    return t;
  }
  takeWord(w: string): boolean {
    if (word(this.peek(), w)) {
      this.i++;
      return true;
    }
    return false;
  }
  /** Index just past the parenthesised group starting at the current `(`. */
  groupEnd(): number {
    let depth = 0;
    for (let j = this.skip(); j < this.end; j++) {
      const t = this.tokens[j]!;
      if (t.kind !== 'other') continue;
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return this.end;
  }
}

/** `a.b.c`, `` `p.d.t` ``, `"d"."t"` → its parts, and the cursor moved past it. */
function readName(c: Cursor): string[] | undefined {
  const parts: string[] = [];
  for (;;) {
    const t = c.take();
    if (!t) break;
    if (t.kind === 'quoted') appendAll(parts, t.text.split('.'));
    else if (t.kind === 'word') parts.push(t.text);
    else if (t.kind === 'string' && t.text.startsWith('"')) parts.push(stringValue(t.text));
    else {
      c.i--;
      break;
    }
    const dot = c.tokens[c.i];
    if (dot?.kind === 'other' && dot.text === '.') c.i++;
    else break;
  }
  return parts.length ? parts : undefined;
}

function tableRef(parts: string[] | undefined): TableRef | undefined {
  if (!parts || parts.length < 2) return undefined;
  return { dataset: parts[parts.length - 2]!, table: parts[parts.length - 1]! };
}

const text = (tokens: Token[], from: number, to: number) =>
  tokens
    .slice(from, to)
    .filter((t) => t.kind !== 'comment')
    .map((t) => (t.kind === 'quoted' ? t.text : t.kind === 'string' && t.text.startsWith('"') ? stringValue(t.text) : t.text))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

/** The value of one OPTIONS entry: strings, TRUE/FALSE/NULL, numbers, TIMESTAMP literals, label arrays. */
function optionValue(tokens: Token[], from: number, to: number, key: string): unknown {
  const sig = tokens.slice(from, to).filter((t) => !isSpace(t));
  if (sig.length === 1 && sig[0]!.kind === 'string') return stringValue(sig[0]!.text);
  if (sig.length === 2 && sig[0]!.kind === 'word' && /^[rR]$/.test(sig[0]!.text) && sig[1]!.kind === 'string') return sig[1]!.text.slice(1, -1);
  const raw = text(tokens, from, to);
  if (/^(TRUE|FALSE)$/i.test(raw)) return raw.toUpperCase() === 'TRUE';
  if (/^NULL$/i.test(raw)) return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (sig.length === 2 && word(sig[0], 'TIMESTAMP') && sig[1]!.kind === 'string') return new Date(stringValue(sig[1]!.text).replace(' ', 'T').replace(/(T\d\d:\d\d(:\d\d(\.\d+)?)?)$/, '$1Z')).toISOString();
  if (sig[0]?.kind === 'other' && sig[0].text === '[') {
    const out: Record<string, string> = {};
    const strings = sig.filter((t) => t.kind === 'string').map((t) => stringValue(t.text));
    for (let k = 0; k + 1 < strings.length; k += 2) out[strings[k]!] = strings[k + 1]!;
    return out;
  }
  throw new WarehouseError(`the local warehouse cannot evaluate OPTIONS(${key} = ${raw}); use a literal value`, 'invalidQuery');
}

/** `OPTIONS (k = v, …)` starting at the cursor's `(`: the entries, and the index past the `)`. */
function readOptions(c: Cursor): { values: Record<string, unknown>; end: number } {
  const start = c.skip();
  const end = c.groupEnd();
  const values: Record<string, unknown> = {};
  let depth = 0;
  let entry = start + 1;
  const flush = (stop: number) => {
    const eq = c.tokens.slice(entry, stop).findIndex((t) => t.kind === 'other' && t.text === '=');
    if (eq < 0) return;
    const key = text(c.tokens, entry, entry + eq).toLowerCase();
    if (key) values[key] = optionValue(c.tokens, entry + eq + 1, stop, key);
  };
  for (let j = start + 1; j < end - 1; j++) {
    const t = c.tokens[j]!;
    if (t.kind !== 'other') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (t.text === ',' && depth === 0) {
      flush(j);
      entry = j + 1;
    }
  }
  flush(end - 1);
  return { values, end };
}

function tablePatch(values: Record<string, unknown>): { patch: TableMetadataPatch; partitionExpirationMs?: number } {
  const patch: TableMetadataPatch = {};
  let partitionExpirationMs: number | undefined;
  for (const [k, v] of Object.entries(values)) {
    if (k === 'description') patch.description = v === null ? null : String(v);
    else if (k === 'friendly_name') patch.friendlyName = v === null ? null : String(v);
    else if (k === 'labels') patch.labels = (v ?? {}) as Record<string, string>;
    else if (k === 'require_partition_filter') patch.requirePartitionFilter = v === true;
    else if (k === 'expiration_timestamp') patch.expirationTime = v === null ? null : String(v);
    else if (k === 'partition_expiration_days' && typeof v === 'number') partitionExpirationMs = Math.round(v * 86_400_000);
  }
  return { patch, partitionExpirationMs };
}

/** BigQuery's PARTITION BY expression → the stored text (`DAY(date)`, `RANGE(col, 0, 100, 10)`). */
export function partitionFromExpression(expr: string): string {
  const e = expr.replace(/\s+/g, '');
  const id = '([A-Za-z_][A-Za-z0-9_]*)';
  let m: RegExpExecArray | null;
  if (/^_PARTITIONDATE$/i.test(e)) return `DAY(${INGESTION_TIME})`;
  if ((m = new RegExp(`^${id}$`).exec(e))) return `DAY(${m[1]})`;
  if ((m = new RegExp(`^DATE\\(${id}\\)$`, 'i').exec(e))) return `DAY(${m[1]!.toUpperCase() === INGESTION_TIME ? INGESTION_TIME : m[1]})`;
  if ((m = new RegExp(`^(?:TIMESTAMP|DATETIME|DATE)_TRUNC\\(${id},(\\w+)\\)$`, 'i').exec(e)) && (PARTITION_UNITS as readonly string[]).includes(m[2]!.toUpperCase())) {
    return formatPartitioning({ kind: 'time', unit: m[2]!.toUpperCase() as PartitionUnit, field: m[1]!.toUpperCase() === INGESTION_TIME ? INGESTION_TIME : m[1]! });
  }
  if ((m = new RegExp(`^RANGE_BUCKET\\(${id},GENERATE_ARRAY\\((-?\\d+),(-?\\d+),(\\d+)\\)\\)$`, 'i').exec(e))) return `RANGE(${m[1]}, ${m[2]}, ${m[3]}, ${m[4]})`;
  throw new WarehouseError(`the local warehouse does not understand PARTITION BY ${expr}: expected a DATE column, DATE(col), TIMESTAMP_TRUNC(col, unit), DATE_TRUNC(col, unit), _PARTITIONDATE or RANGE_BUCKET(col, GENERATE_ARRAY(start, end, interval))`, 'invalidQuery');
}

const CLAUSE_STARTS = new Set(['PARTITION', 'CLUSTER', 'OPTIONS', 'AS', 'DEFAULT', 'LIKE', 'COPY', 'CLONE']);

/** `'it''s'` reaches us as two adjacent string tokens: one literal with a doubled quote. */
function mergeDoubledQuotes(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (t.kind === 'string' && prev?.kind === 'string' && prev.text[0] === t.text[0] && prev.text.length > 1 && prev.text.endsWith(prev.text[0]!)) {
      out[out.length - 1] = { kind: 'string', text: prev.text + t.text };
    } else out.push(t);
  }
  return out;
}

/** Splits a script on top-level `;` into token ranges [start, end). */
function statementRanges(tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'other' && t.text === ';') {
      out.push([start, i + 1]);
      start = i + 1;
    }
  });
  if (start < tokens.length) out.push([start, tokens.length]);
  return out;
}

/** Removes from `sql` the BigQuery DDL clauses DuckDB lacks and returns what they said. */
export function extractDdl(sql: string): ExtractedDdl {
  const tokens = mergeDoubledQuotes(tokenize(sql));
  if (!tokens.some((t) => t.kind === 'word' && /^(PARTITION|CLUSTER|OPTIONS|RENAME)$/i.test(t.text))) return { sql, effects: [] };
  const drop = new Set<number>();
  const removeRange = (from: number, to: number) => {
    for (let k = from; k < to; k++) drop.add(k);
  };
  const effects: DdlEffect[] = [];
  for (const [start, end] of statementRanges(tokens)) {
    const c = new Cursor(tokens, start, end);
    if (c.takeWord('CREATE')) {
      const replace = c.takeWord('OR') && c.takeWord('REPLACE');
      if (!c.takeWord('TEMP')) c.takeWord('TEMPORARY');
      if (!c.takeWord('TABLE')) continue;
      if (c.takeWord('IF')) {
        c.takeWord('NOT');
        c.takeWord('EXISTS');
      }
      const target = tableRef(readName(c));
      if (!target) continue;
      const patch: TableMetadataPatch = {};
      const effect: Extract<DdlEffect, { kind: 'create' }> = { kind: 'create', target, replace, patch };
      if (c.peek()?.text === '(') {
        const listEnd = c.groupEnd();
        columnOptions(tokens, c.i, listEnd, patch, removeRange);
        c.i = listEnd;
      }
      for (let t = c.peek(); t && c.i < end; t = c.peek()) {
        const at = c.i;
        if (word(t, 'PARTITION') || word(t, 'CLUSTER')) {
          c.take();
          c.takeWord('BY');
          const exprStart = c.i;
          let depth = 0;
          while (c.i < end) {
            const u = tokens[c.i]!;
            if (u.kind === 'other' && (u.text === '(' || u.text === '[')) depth++;
            if (u.kind === 'other' && (u.text === ')' || u.text === ']')) depth--;
            if (depth === 0 && ((u.kind === 'word' && CLAUSE_STARTS.has(u.text.toUpperCase())) || (u.kind === 'other' && u.text === ';'))) break;
            c.i++;
          }
          const expr = text(tokens, exprStart, c.i);
          if (word(t, 'PARTITION')) effect.partitioning = partitionFromExpression(expr);
          else effect.clustering = expr.split(',').map((s) => s.trim()).filter(Boolean);
          removeRange(at, c.i);
        } else if (word(t, 'OPTIONS')) {
          c.take();
          const { values, end: optEnd } = readOptions(c);
          const { patch: p, partitionExpirationMs } = tablePatch(values);
          Object.assign(patch, p);
          if (partitionExpirationMs !== undefined) effect.partitionExpirationMs = partitionExpirationMs;
          removeRange(at, optEnd);
          c.i = optEnd;
        } else break;
      }
      if (effect.partitioning || effect.clustering || Object.keys(patch).length || effect.partitionExpirationMs !== undefined) effects.push(effect);
      continue;
    }
    c.i = start;
    if (!c.takeWord('ALTER') || !c.takeWord('TABLE')) continue;
    if (c.takeWord('IF')) c.takeWord('EXISTS');
    const target = tableRef(readName(c));
    if (!target) continue;
    if (c.takeWord('SET') && c.takeWord('OPTIONS')) {
      const { values } = readOptions(c);
      effects.push({ kind: 'patch', target, patch: tablePatch(values).patch });
      removeRange(start, end);
    } else if (c.takeWord('ALTER') && c.takeWord('COLUMN')) {
      if (c.takeWord('IF')) c.takeWord('EXISTS');
      const col = readName(c)?.[0];
      if (col && c.takeWord('SET') && c.takeWord('OPTIONS')) {
        const { values } = readOptions(c);
        if ('description' in values) effects.push({ kind: 'patch', target, patch: { columns: { [col]: { description: values.description === null ? null : String(values.description) } } } });
        removeRange(start, end);
      }
    } else if (c.takeWord('RENAME') && c.takeWord('TO')) {
      const to = readName(c);
      if (to) effects.push({ kind: 'rename', target, to: to[to.length - 1]! });
    }
  }
  if (!drop.size) return { sql, effects };
  return { sql: tokens.map((t, k) => (drop.has(k) ? (t.kind === 'other' && /\s/.test(t.text) ? t.text : '') : t.kind === 'quoted' ? `\`${t.text}\`` : t.kind === 'param' ? `@${t.text}` : t.text)).join(''), effects };
}

/** Column `OPTIONS (description = …)` inside a CREATE TABLE column list: recorded and removed. */
function columnOptions(tokens: Token[], from: number, to: number, patch: TableMetadataPatch, removeRange: (a: number, b: number) => void): void {
  let depth = 0;
  let column: string | undefined;
  let expectName = true;
  for (let j = from; j < to; j++) {
    const t = tokens[j]!;
    if (isSpace(t)) continue;
    if (t.kind === 'other' && (t.text === '(' || t.text === '<' || t.text === '[')) {
      depth++;
      if (depth === 1) expectName = true;
      continue;
    }
    if (t.kind === 'other' && (t.text === ')' || t.text === '>' || t.text === ']')) {
      depth--;
      continue;
    }
    if (depth === 1 && t.kind === 'other' && t.text === ',') {
      expectName = true;
      continue;
    }
    if (depth === 1 && expectName) {
      column = t.kind === 'quoted' ? t.text : t.kind === 'string' ? stringValue(t.text) : t.text;
      expectName = false;
      continue;
    }
    if (depth === 1 && word(t, 'OPTIONS') && column) {
      const c = new Cursor(tokens, j + 1, to);
      const { values, end } = readOptions(c);
      if ('description' in values) (patch.columns ??= {})[column] = { description: values.description === null ? null : String(values.description) };
      removeRange(j, end);
      j = end - 1;
    }
  }
}
