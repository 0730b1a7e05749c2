/**
 * What a piece of SQL does, read from its tokens (strings and comments are not code): nothing at all
 * (only whitespace, comments and `;`), something destructive (drops, deletes, overwrites, alters, or
 * runs dynamic SQL that could), or a write. `bqmigrate query` asks for --yes and journals on this.
 * Also: a script split into its statements, and which statement kinds BigQuery's dry run cannot
 * estimate.
 */
import { tokenize } from './translate';

export interface SqlEffect {
  /** No statement at all: only whitespace, comments and `;`. */
  empty: boolean;
  /** The destructive verbs found, upper-cased and in order of first use: `DROP`, `CREATE OR REPLACE`, … */
  destructive: string[];
  /** Creates or inserts (a destructive statement counts as a write too). */
  writes: boolean;
}

const DESTRUCTIVE = new Set(['DROP', 'TRUNCATE', 'DELETE', 'UPDATE', 'MERGE', 'ALTER']);
const WRITES = new Set(['CREATE', 'INSERT', 'COPY', 'LOAD', 'EXPORT', 'GRANT', 'REVOKE', 'CALL']);

export function sqlEffect(sql: string): SqlEffect {
  const words: string[] = [];
  let empty = true;
  for (const t of tokenize(sql)) {
    if (t.kind === 'comment') continue;
    if (t.kind === 'other' && (t.text === ';' || /\s/.test(t.text))) continue;
    empty = false;
    if (t.kind === 'word') words.push(t.text.toUpperCase());
  }
  const destructive = new Set<string>();
  let writes = false;
  words.forEach((w, i) => {
    if (DESTRUCTIVE.has(w)) destructive.add(w);
    else if (w === 'REPLACE' && words[i - 1] === 'OR' && words[i - 2] === 'CREATE') destructive.add('CREATE OR REPLACE');
    else if (w === 'OVERWRITE' && words[i - 1] === 'INSERT') destructive.add('INSERT OVERWRITE');
    else if (w === 'IMMEDIATE' && words[i - 1] === 'EXECUTE') destructive.add('EXECUTE IMMEDIATE');
    else if (WRITES.has(w)) writes = true;
  });
  return { empty, destructive: [...destructive], writes: writes || destructive.size > 0 };
}

/** Splits a script into statements on `;` outside quotes and comments (the local warehouse runs one at a time; a BigQuery request with several is a script). */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      cur += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      cur += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      cur += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ';') {
      if (stripComments(cur).trim()) out.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += c;
    i++;
  }
  if (stripComments(cur).trim()) out.push(cur.trim());
  return out;
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}


/** A statement without its leading comments. */
export function statementBody(statement: string): string {
  return statement.replace(/^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
}

/** `CREATE [OR REPLACE] TEMP[ORARY] TABLE`: BigQuery cannot dry-run it ("Work with multi-statement queries"). */
export function isTempTable(statement: string): boolean {
  return /^CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\b/i.test(statementBody(statement));
}
