/**
 * The one canonical statement that re-creates a Definition (`renderDefinition`), and what a
 * read-back must show to count as the same definition (`sameDefinition`). Pure; ./ddl parses what
 * this writes.
 */
import { bigQueryLiteral } from '../warehouse/identifiers';
import type { Definition, DefinitionColumn, DefinitionKind, DefinitionOptions } from '../warehouse/types';

const KIND_WORDS: Record<DefinitionKind, string> = {
  VIEW: 'VIEW',
  MATERIALIZED_VIEW: 'MATERIALIZED VIEW',
  FUNCTION: 'FUNCTION',
  AGGREGATE_FUNCTION: 'AGGREGATE FUNCTION',
  TABLE_FUNCTION: 'TABLE FUNCTION',
  PROCEDURE: 'PROCEDURE',
};

/** `VIEW`, `MATERIALIZED VIEW`, … as written in DDL. */
export function kindWords(kind: DefinitionKind): string {
  return KIND_WORDS[kind];
}

/** Collapses whitespace and case so `x int64,y  STRING` and `x INT64, y STRING` compare equal. */
export function normalizeSignature(text: string | undefined): string {
  return (text ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([,<>()])\s*/g, '$1')
    .trim()
    .toUpperCase();
}

function renderOptions(o: DefinitionOptions): string | undefined {
  const parts: string[] = [];
  if (o.friendlyName !== undefined) parts.push(`friendly_name = ${bigQueryLiteral(o.friendlyName)}`);
  if (o.description !== undefined) parts.push(`description = ${bigQueryLiteral(o.description)}`);
  if (o.labels !== undefined && Object.keys(o.labels).length > 0) {
    const labels = Object.keys(o.labels)
      .sort()
      .map((k) => `(${bigQueryLiteral(k)}, ${bigQueryLiteral(o.labels![k]!)})`);
    parts.push(`labels = [${labels.join(', ')}]`);
  }
  if (o.expirationTimestamp !== undefined) parts.push(`expiration_timestamp = TIMESTAMP ${bigQueryLiteral(o.expirationTimestamp)}`);
  if (o.enableRefresh !== undefined) parts.push(`enable_refresh = ${o.enableRefresh ? 'TRUE' : 'FALSE'}`);
  if (o.refreshIntervalMinutes !== undefined) parts.push(`refresh_interval_minutes = ${o.refreshIntervalMinutes}`);
  if (o.library !== undefined && o.library.length > 0) parts.push(`library = [${o.library.map(bigQueryLiteral).join(', ')}]`);
  if (parts.length === 0) return undefined;
  return `OPTIONS (\n  ${parts.join(',\n  ')}\n)`;
}

/** A raw string literal holding `body` exactly: r"""…""" (or r'''…''' when the body holds """). */
function rawLiteral(body: string): string {
  if (!body.includes('"""') && !body.endsWith('"')) return `r"""${body}"""`;
  if (!body.includes("'''") && !body.endsWith("'")) return `r'''${body}'''`;
  return bigQueryLiteral(body);
}

/**
 * A view's column list, one column a line: `(\n  `a` OPTIONS (description = '…'),\n  `b`\n)`.
 * Names are quoted so a column called `from` or `range` stays a name.
 */
function renderColumns(columns: readonly DefinitionColumn[]): string {
  const lines = columns.map((c) => `  \`${c.name}\`${c.description !== undefined ? ` OPTIONS (description = ${bigQueryLiteral(c.description)})` : ''}`);
  return `(\n${lines.join(',\n')}\n)`;
}

/**
 * The canonical statement that re-creates `def` in `project`: `CREATE OR REPLACE <kind> `p.d.n``,
 * its arguments or a view's column list, RETURNS, LANGUAGE, PARTITION/CLUSTER BY, OPTIONS, then the
 * body exactly as kept. Names are not validated here: callers validate them first (definitions/names.ts).
 */
export function renderDefinition(def: Definition, project: string): string {
  const name = `\`${def.project ?? project}.${def.dataset}.${def.name}\``;
  const isRoutine = def.kind !== 'VIEW' && def.kind !== 'MATERIALIZED_VIEW';
  const columns = def.kind === 'VIEW' && def.columns?.length ? ` ${renderColumns(def.columns)}` : '';
  const lines = [`CREATE OR REPLACE ${KIND_WORDS[def.kind]} ${name}${isRoutine ? `(${def.arguments ?? ''})` : columns}`];
  if (def.returns) lines.push(`RETURNS ${def.returns}`);
  if (def.language) lines.push(`LANGUAGE ${def.language}`);
  if (def.partitionBy) lines.push(`PARTITION BY ${def.partitionBy}`);
  if (def.clusterBy) lines.push(`CLUSTER BY ${def.clusterBy}`);
  const options = renderOptions(def.options);
  if (options) lines.push(options);
  if (def.kind === 'PROCEDURE') lines.push(def.body);
  else if (def.language !== undefined) lines.push(`AS ${rawLiteral(def.body)}`);
  else if (def.kind === 'FUNCTION' || def.kind === 'AGGREGATE_FUNCTION') lines.push(`AS (${def.body})`);
  else lines.push('AS', def.body);
  return lines.join('\n');
}

/** Whether two definitions are the same object kept the same way (what a read-back must show). */
export function sameDefinition(a: Definition, b: Definition): boolean {
  // Fixed key order: the same options read back in another order are the same options.
  const opts = (o: DefinitionOptions) =>
    JSON.stringify([o.friendlyName, o.description, o.labels && Object.keys(o.labels).length ? Object.entries(o.labels).sort() : undefined, o.expirationTimestamp, o.enableRefresh, o.refreshIntervalMinutes, o.library?.length ? o.library : undefined]);
  // A column list reads back whole: its names (the view uses explicit column names) and its descriptions.
  const cols = (d: Definition) => JSON.stringify(d.columns?.map((c) => [c.name, c.description || '']) ?? []);
  return (
    a.kind === b.kind &&
    a.dataset === b.dataset &&
    a.name === b.name &&
    a.body === b.body &&
    normalizeSignature(a.arguments) === normalizeSignature(b.arguments) &&
    normalizeSignature(a.returns) === normalizeSignature(b.returns) &&
    (a.language ?? '') === (b.language ?? '') &&
    normalizeSignature(a.partitionBy) === normalizeSignature(b.partitionBy) &&
    normalizeSignature(a.clusterBy) === normalizeSignature(b.clusterBy) &&
    opts(a.options) === opts(b.options) &&
    cols(a) === cols(b)
  );
}

