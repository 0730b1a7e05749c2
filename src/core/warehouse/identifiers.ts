/**
 * BigQuery's naming rules for projects, datasets, tables and columns, and the
 * two dialects that quote them. Every identifier that reaches SQL passes
 * `validateIdentifier` first, by its own kind's rule (a table or dataset name may start with a
 * digit, a column name may not), and is then always quoted (backticks for BigQuery, double quotes
 * for DuckDB): SQL is never built from unvalidated text.
 */
import type { Dialect, TableId } from './types';

export type IdentifierKind = 'project' | 'dataset' | 'table' | 'column';

/** Thrown when a name that would go into SQL breaks the naming rules. */
export class IdentifierError extends Error {
  override name = 'IdentifierError';
  constructor(
    readonly kind: IdentifierKind,
    readonly value: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const PROJECT = /^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DATASET = /^[A-Za-z0-9_]+$/;
/** BigQuery table names: Unicode letters, marks, numbers, connectors (incl. "_"), dashes and spaces. */
const TABLE_CHAR = /[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]/u;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_COLUMN_PREFIXES = ['_TABLE_', '_FILE_', '_PARTITION', '_ROW_TIMESTAMP', '__ROOT__', '_COLIDENTIFIER'];

const RULE_TEXT: Record<IdentifierKind, string> = {
  project: 'a project id is 6–30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. "cbi-v14")',
  dataset: 'a dataset name may contain only letters, digits and underscores, at most 1,024 characters',
  table: 'a table name may contain only letters, marks, numbers, underscores, dashes and spaces, at most 1,024 bytes',
  column: 'a column name starts with a letter or underscore and contains only letters, digits and underscores, at most 300 characters',
};

/** How a character is shown in a message: control and invisible characters as U+XXXX. */
function showChar(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) ? hex : `"${c}" (${hex})`;
}

function showName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(name).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function firstBadChar(name: string, ok: (c: string) => boolean): { char: string; index: number } | undefined {
  let index = 0;
  for (const char of name) {
    if (!ok(char)) return { char, index };
    index += char.length;
  }
  return undefined;
}

/**
 * An error message, or undefined when `name` is a valid BigQuery identifier of
 * that kind. The message names the offending character and its position.
 */
export function validateIdentifier(kind: IdentifierKind, name: string): string | undefined {
  const label = `${kind} name ${showName(name)}`;
  if (typeof name !== 'string' || name.length === 0) return `empty ${kind} name: ${RULE_TEXT[kind]}`;
  const bad = (ok: (c: string) => boolean) => {
    const hit = firstBadChar(name, ok);
    return hit ? `${label} contains ${showChar(hit.char)} at position ${hit.index + 1}: ${RULE_TEXT[kind]}` : undefined;
  };
  switch (kind) {
    case 'project':
      return PROJECT.test(name) ? undefined : (bad((c) => /[a-z0-9:.-]/.test(c)) ?? `${label} is not a valid project id: ${RULE_TEXT.project}`);
    case 'dataset':
      if (name.length > 1024) return `${label} is longer than 1,024 characters`;
      return DATASET.test(name) ? undefined : bad((c) => /[A-Za-z0-9_]/.test(c));
    case 'table': {
      const problem = bad((c) => TABLE_CHAR.test(c));
      if (problem) return problem;
      if (Buffer.byteLength(name, 'utf8') > 1024) return `${label} is longer than 1,024 bytes`;
      if (name.trim() !== name) return `${label} starts or ends with a space: ${RULE_TEXT.table}`;
      return undefined;
    }
    case 'column': {
      if (name.length > 300) return `${label} is longer than 300 characters`;
      if (!COLUMN.test(name)) {
        if (/^[0-9]/.test(name)) return `${label} starts with a digit: ${RULE_TEXT.column}`;
        return bad((c) => /[A-Za-z0-9_]/.test(c));
      }
      const reserved = RESERVED_COLUMN_PREFIXES.find((p) => name.toUpperCase().startsWith(p));
      return reserved ? `${label} starts with the reserved prefix ${reserved}` : undefined;
    }
  }
}

/** Returns `name` or throws an IdentifierError with the rule it breaks. */
export function assertIdentifier(kind: IdentifierKind, name: string): string {
  const problem = validateIdentifier(kind, name);
  if (problem) throw new IdentifierError(kind, name, problem);
  return name;
}

/** Parses `dataset.table` or `project.dataset.table` (no quoting) into a validated TableId. */
export function parseTableId(text: string): TableId {
  const parts = text.split('.');
  // A legacy domain-scoped project ("example.com:proj") contains a dot before its colon.
  if (parts.length > 3 && text.includes(':')) {
    const colon = text.indexOf(':');
    const rest = text.slice(text.indexOf('.', colon) + 1).split('.');
    parts.splice(0, parts.length, text.slice(0, text.indexOf('.', colon)), ...rest);
  }
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new IdentifierError('table', text, `expected "dataset.table" or "project.dataset.table", got ${showName(text)}`);
  }
  const [project, dataset, table] = parts.length === 3 ? parts : [undefined, ...parts];
  if (project !== undefined) assertIdentifier('project', project);
  return { ...(project !== undefined ? { project } : {}), dataset: assertIdentifier('dataset', dataset!), table: assertIdentifier('table', table!) };
}

/** BigQuery: backtick-quoted `project.dataset.table`, every part validated first. */
export function bigQueryDialect(defaultProject: string): Dialect {
  const ident = (name: string) => `\`${assertIdentifier('column', name)}\``;
  return {
    table(id: TableId): string {
      const project = assertIdentifier('project', id.project ?? defaultProject);
      return `\`${project}.${assertIdentifier('dataset', id.dataset)}.${assertIdentifier('table', id.table)}\``;
    },
    ident,
    tableName: (name) => `\`${assertIdentifier('table', name)}\``,
    dataset: (name) => `\`${assertIdentifier('dataset', name)}\``,
    literal: bigQueryLiteral,
  };
}

/** DuckDB (the local warehouse): datasets are schemas, so "dataset"."table"; the project is implied. */
export const duckDbDialect: Dialect = {
  table(id: TableId): string {
    return `"${assertIdentifier('dataset', id.dataset)}"."${assertIdentifier('table', id.table)}"`;
  },
  ident(name: string): string {
    return `"${assertIdentifier('column', name)}"`;
  },
  tableName(name: string): string {
    return `"${assertIdentifier('table', name).replace(/"/g, '""')}"`;
  },
  dataset(name: string): string {
    return `"${assertIdentifier('dataset', name)}"`;
  },
  literal(value: string): string {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000]/.test(value)) throw new Error('a string literal cannot contain NUL characters');
    return `'${value.replace(/'/g, "''")}'`;
  },
};

/** A BigQuery string literal; backslash escapes keep quotes and control characters inert. */
export function bigQueryLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  })}'`;
}
