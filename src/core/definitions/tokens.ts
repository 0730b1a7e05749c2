/**
 * BigQuery's SQL as tokens: strings (raw, bytes, triple-quoted), comments, quoted names, words,
 * numbers and punctuation, each with its offsets, so the DDL parser and the definitions graph read
 * statements without being fooled by a name inside a string or a comment. Pure.
 */
export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'word' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written (quotes included). */
  text: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;

/** Every token of `sql`, whitespace and comments included; an unterminated string or name runs to the end. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number) => out.push({ kind, text: sql.slice(start, i), start, end: i });
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      push('space', start);
    } else if ((c === '-' && sql[i + 1] === '-') || c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
      push('comment', start);
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      push('comment', start);
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      i = end < 0 ? sql.length : end + 1;
      push('quoted', start);
    } else if (stringPrefixAt(sql, i) !== undefined) {
      i = stringEnd(sql, i);
      push('string', start);
    } else if (WORD_START.test(c)) {
      while (i < sql.length && WORD.test(sql[i]!)) i++;
      push('word', start);
    } else if (/[0-9]/.test(c)) {
      while (i < sql.length && /[0-9.eE]/.test(sql[i]!)) i++;
      push('number', start);
    } else {
      i++;
      push('punct', start);
    }
  }
  return out;
}

/** Length of a string literal's prefix (`r`, `b`, `rb`, `br`, or none) when a literal starts at `i`. */
function stringPrefixAt(sql: string, i: number): number | undefined {
  for (let n = 0; n <= 2; n++) {
    const q = sql[i + n];
    if (q === "'" || q === '"') {
      const prefix = sql.slice(i, i + n).toLowerCase();
      if (n > 0 && i > 0 && WORD.test(sql[i - 1]!)) return undefined;
      return prefix === '' || prefix === 'r' || prefix === 'b' || prefix === 'rb' || prefix === 'br' ? n : undefined;
    }
    if (!/[rRbB]/.test(q ?? '')) return undefined;
  }
  return undefined;
}

function stringEnd(sql: string, i: number): number {
  const n = stringPrefixAt(sql, i)!;
  const raw = /r/i.test(sql.slice(i, i + n));
  let j = i + n;
  const q = sql[j]!;
  const triple = sql.startsWith(q.repeat(3), j);
  const close = triple ? q.repeat(3) : q;
  j += close.length;
  while (j < sql.length) {
    if (!raw && sql[j] === '\\') {
      j += 2;
      continue;
    }
    if (sql.startsWith(close, j)) return j + close.length;
    if (!triple && sql[j] === '\n') return j;
    j++;
  }
  return sql.length;
}

/** The value of a string literal token (escapes decoded unless raw). */
export function stringValue(token: string): string {
  let n = 0;
  while (/[rRbB]/.test(token[n] ?? '')) n++;
  const raw = /r/i.test(token.slice(0, n));
  const q = token[n]!;
  const triple = token.startsWith(q.repeat(3), n);
  const open = triple ? 3 : 1;
  const closed = token.length >= n + open * 2 && token.endsWith(q.repeat(open));
  const body = token.slice(n + open, closed ? token.length - open : token.length);
  return raw ? body : unescape(body);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?' };

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (_m, e: string) => {
    if (e.length === 1) return SIMPLE_ESCAPES[e] ?? e;
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    return String.fromCharCode(parseInt(e, 8));
  });
}
