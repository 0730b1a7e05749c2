/**
 * What a piece of SQL does, read from its tokens (strings and comments are not code): nothing at all
 * (only whitespace, comments and `;`), something destructive (drops, deletes, overwrites, alters, or
 * runs dynamic SQL that could), or a write. `bqmigrate query` asks for --yes and journals on this.
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
