/**
 * BigQuery SQL → DuckDB SQL, for the local warehouse (so the manifest's checks
 * and the team's BigQuery SQL run locally) and for the fake BigQuery server in
 * test/. A small tokenizer keeps string literals and comments untouched and
 * rewrites only: backtick-quoted names (project dropped), `@param` → `$param`,
 * BigQuery type names, `* EXCEPT (` → `* EXCLUDE (`, and a few functions —
 * renamed (FARM_FINGERPRINT → hash, UNIX_MICROS → epoch_us, …) or rewritten with
 * their arguments (STRUCT(x AS a) → struct_pack(a := x), TO_JSON_STRING, the
 * *_TRUNC functions, TIMESTAMP(x)). Fingerprints are DuckDB's hash, not FarmHash:
 * consistent within the local warehouse, not equal to BigQuery's values.
 * Anything else passes through; DuckDB then reports what it cannot run.
 */
import { appendAll } from '../arrays';

const TYPE_NAMES: Record<string, string> = {
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  BYTES: 'BLOB',
  NUMERIC: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DECIMAL(38, 9)',
  BIGDECIMAL: 'DECIMAL(38, 9)',
  DATETIME: 'TIMESTAMP',
};

const FUNCTIONS: Record<string, string> = {
  SAFE_CAST: 'TRY_CAST',
  FARM_FINGERPRINT: 'hash',
  UNIX_MICROS: 'epoch_us',
  IS_NAN: 'isnan',
  COUNTIF: 'count_if',
};

/** Calls rewritten with their (already translated) arguments; undefined leaves the call as it is. */
const CALLS: Record<string, (args: string[]) => string | undefined> = {
  TO_JSON_STRING: (a) => (a.length === 1 ? `CAST(to_json(${a[0]}) AS VARCHAR)` : undefined),
  // `STRUCT(name TYPE, …)` is a type (DuckDB's own syntax too, as the fake's JOBS table uses it): left alone.
  STRUCT: (a) =>
    a.some((arg) => /^\s*"?[A-Za-z_][A-Za-z0-9_]*"?\s+(?!AS\b)[A-Za-z_][A-Za-z0-9_]*(?:\s*\([^)]*\))?(?:\[\])?\s*$/i.test(arg))
      ? undefined
      : `struct_pack(${a
      .map((arg, i) => {
        const m = /^([\s\S]*?)\s+AS\s+("?)([A-Za-z_][A-Za-z0-9_]*)\2\s*$/i.exec(arg);
        return m ? `${m[3]} := ${m[1]!.trim()}` : `_field_${i + 1} := ${arg.trim()}`;
      })
      .join(', ')})`,
  DATE_TRUNC: (a) => (a.length === 2 ? `CAST(date_trunc('${a[1]!.trim().toLowerCase()}', ${a[0]}) AS DATE)` : undefined),
  TIMESTAMP_TRUNC: (a) => (a.length === 2 ? `date_trunc('${a[1]!.trim().toLowerCase()}', ${a[0]})` : undefined),
  DATETIME_TRUNC: (a) => (a.length === 2 ? `date_trunc('${a[1]!.trim().toLowerCase()}', ${a[0]})` : undefined),
  TIMESTAMP: (a) => (a.length === 1 ? `CAST(${a[0]} AS TIMESTAMP)` : undefined),
  DATETIME: (a) => (a.length === 1 ? `CAST(${a[0]} AS TIMESTAMP)` : undefined),
};

/** Functions BigQuery calls with `()` that DuckDB spells as bare keywords. */
const NULLARY = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATETIME']);

export interface TranslateOptions {
  /** Project ids that may lead a backtick name; they are dropped (DuckDB has one catalog). */
  projects?: string[];
}

/** A token of BigQuery (or DuckDB) SQL: string literals and double-quoted text are both `string`; backtick names are `quoted` (without the backticks). */
export type Token = { kind: 'string' | 'comment' | 'quoted' | 'word' | 'param' | 'other'; text: string };

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out.push({ kind: 'comment', text: sql.slice(start, i) });
    } else if (c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out.push({ kind: 'comment', text: sql.slice(start, i) });
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      out.push({ kind: 'comment', text: sql.slice(start, i) });
    } else if (c === "'" || c === '"') {
      i++;
      while (i < sql.length && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1;
      i++;
      out.push({ kind: 'string', text: sql.slice(start, i) });
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      i = end < 0 ? sql.length : end + 1;
      out.push({ kind: 'quoted', text: sql.slice(start + 1, end < 0 ? sql.length : end) });
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      i++;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      out.push({ kind: 'param', text: sql.slice(start + 1, i) });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
      out.push({ kind: 'word', text: sql.slice(start, i) });
    } else {
      i++;
      out.push({ kind: 'other', text: c });
    }
  }
  return out;
}

const quote = (part: string) => `"${part.replace(/"/g, '""')}"`;

/** A token as it was written. */
const raw = (t: Token) => (t.kind === 'quoted' ? `\`${t.text}\`` : t.kind === 'param' ? `@${t.text}` : t.text);

/** Index of the `)` closing the `(` at `open`, and the token ranges of the top-level arguments. */
function callArguments(tokens: Token[], open: number): { close: number; args: [number, number][] } | undefined {
  let depth = 0;
  let start = open + 1;
  const args: [number, number][] = [];
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'other') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      depth--;
      if (depth === 0) {
        if (j > start || args.length) args.push([start, j]);
        return { close: j, args };
      }
    } else if (t.text === ',' && depth === 1) {
      args.push([start, j]);
      start = j + 1;
    }
  }
  return undefined;
}

/** Translates one BigQuery SQL text (possibly a script) to DuckDB SQL. */
export function bigQueryToDuckDb(sql: string, opts: TranslateOptions = {}): string {
  const projects = new Set(opts.projects ?? []);
  const tokens = tokenize(sql);
  const out: string[] = [];
  const prevWord = (k: number): string | undefined => {
    for (let j = k - 1; j >= 0; j--) {
      const t = tokens[j]!;
      if (t.kind === 'other' && /\s/.test(t.text)) continue;
      return t.kind === 'word' || (t.kind === 'other' && t.text === '*') ? t.text.toUpperCase() : '';
    }
    return undefined;
  };
  const nextNonSpace = (k: number): Token | undefined => {
    for (let j = k + 1; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.kind === 'other' && /\s/.test(t.text)) continue;
      return t;
    }
    return undefined;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    switch (t.kind) {
      case 'quoted': {
        // A dotted chain of quoted/unquoted parts: `p`.`d`.`t`, `p.d.t`, `p.d`.t …
        const parts = t.text.split('.');
        let j = k;
        while (tokens[j + 1]?.kind === 'other' && tokens[j + 1]!.text === '.' && (tokens[j + 2]?.kind === 'quoted' || tokens[j + 2]?.kind === 'word')) {
          appendAll(parts, tokens[j + 2]!.text.split('.'));
          j += 2;
        }
        k = j;
        if (parts.length >= 2 && (projects.has(parts[0]!) || parts.length === 3)) parts.shift();
        // INFORMATION_SCHEMA views keep their DuckDB spelling.
        out.push(parts.map((p) => (/^INFORMATION_SCHEMA$/i.test(p) ? 'information_schema' : quote(p))).join('.'));
        break;
      }
      case 'param':
        out.push(`$${t.text}`);
        break;
      case 'word': {
        const upper = t.text.toUpperCase();
        const next = nextNonSpace(k);
        if (upper === 'EXCEPT' && prevWord(k) === '*' && next?.text === '(') out.push('EXCLUDE');
        else if (TYPE_NAMES[upper] && next?.text !== '(' ) out.push(TYPE_NAMES[upper]!);
        else if (CALLS[upper] && next?.text === '(' && prevWord(k) !== 'AS') {
          const open = tokens.indexOf(next, k);
          const call = callArguments(tokens, open);
          const args = call?.args.map(([a, b]) => bigQueryToDuckDb(tokens.slice(a, b).map(raw).join(''), opts));
          const rewritten = call && args ? CALLS[upper]!(args) : undefined;
          if (rewritten === undefined) out.push(t.text);
          else {
            out.push(rewritten);
            k = call!.close;
          }
        } else if (FUNCTIONS[upper] && next?.text === '(') out.push(FUNCTIONS[upper]!);
        else if (NULLARY.has(upper) && next?.text === '(' && tokens[tokens.indexOf(next) + 1]?.text === ')') {
          out.push(upper === 'CURRENT_DATETIME' ? 'CAST(CURRENT_TIMESTAMP AS TIMESTAMP)' : 'CURRENT_TIMESTAMP');
          k = tokens.indexOf(next) + 1;
        } else out.push(t.text);
        break;
      }
      default:
        out.push(t.text);
    }
  }
  return out.join('');
}

/** True when the text uses BigQuery-only syntax the translator knows (backticks, @params, type names). */
export function looksLikeBigQuerySql(sql: string): boolean {
  return tokenize(sql).some((t) => t.kind === 'quoted' || t.kind === 'param' || (t.kind === 'word' && (TYPE_NAMES[t.text.toUpperCase()] !== undefined || t.text.toUpperCase() === 'EXCEPT')));
}
