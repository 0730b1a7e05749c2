/**
 * Views, materialized views, routines and scheduled queries on the local warehouse. DuckDB runs
 * views as views and SQL functions / table functions as macros; the BigQuery text they were
 * created from is kept verbatim in `bqmigrate_meta.definitions`, so reading a definition gives
 * back exactly what was written (as BigQuery's INFORMATION_SCHEMA.VIEWS does). A view's column
 * list names its DuckDB view's columns; its descriptions go where every column description lives
 * (`bqmigrate_meta.objects`), so getTable shows them as tables.get does. Routines DuckDB
 * cannot run (JavaScript functions, procedures) are kept as definitions only. Scheduled queries
 * live in `bqmigrate_meta.scheduled_queries`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { definitionNameProblem, isTableKind, kindWords, parseDefinitionStatement, parseDropStatement, splitScript, type DropStatement, type ParsedDefinition } from '../definitions/ddl';
import { duckError } from './duckdb-types';
import { WarehouseError } from './errors';
import { duckDbDialect } from './identifiers';
import type { LocalWarehouse } from './local';
import { HIDDEN_SCHEMAS, META_SCHEMA, objectMeta, patchObject, recordJob, syncObjects } from './local-meta';
import { bigQueryToDuckDb } from './translate';
import type { Definition, DefinitionColumn, DefinitionKind, QueryOptions, QueryResult, ScheduledQuery, ScheduledQueryUpdate, TableId } from './types';

export async function ensureDefinitionsMeta(c: DuckDBConnection): Promise<void> {
  await c.run(`CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.definitions (dataset VARCHAR, name VARCHAR, namespace VARCHAR, kind VARCHAR, arguments VARCHAR, returns VARCHAR, language VARCHAR, body VARCHAR, options VARCHAR, partition_by VARCHAR, cluster_by VARCHAR, PRIMARY KEY (dataset, name, namespace));
CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.scheduled_queries (name VARCHAR PRIMARY KEY, display_name VARCHAR, schedule VARCHAR, disabled BOOLEAN, destination_dataset VARCHAR, params VARCHAR, update_time TIMESTAMP);
ALTER TABLE ${META_SCHEMA}.definitions ADD COLUMN IF NOT EXISTS column_names VARCHAR;`);
}

const namespaceOf = (kind: DefinitionKind) => (isTableKind(kind) ? 'table' : 'routine');
/** Kinds DuckDB runs as a view or a macro; the others are kept as text only. */
const runsInDuckDb = (d: Definition) => isTableKind(d.kind) || (d.language === undefined && d.kind !== 'PROCEDURE');

/** The argument names of a routine's argument list (`IN x INT64, y ARRAY<STRING>` → x, y). */
export function argumentNames(args: string | undefined): string[] {
  const names: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of `${args ?? ''},`) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      const words = cur.trim().split(/\s+/).filter(Boolean);
      const first = /^(IN|OUT|INOUT)$/i.test(words[0] ?? '') ? words[1] : words[0];
      if (first) names.push(first.replace(/`/g, ''));
      cur = '';
      continue;
    }
    cur += ch;
  }
  return names;
}

function rowToDefinition(row: Record<string, unknown>, project: string): Definition {
  const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  return {
    kind: String(row.kind) as DefinitionKind,
    project,
    dataset: String(row.dataset),
    name: String(row.name),
    ...(str(row.arguments) !== undefined ? { arguments: str(row.arguments) } : {}),
    ...(str(row.returns) !== undefined ? { returns: str(row.returns) } : {}),
    ...(str(row.language) !== undefined ? { language: str(row.language) } : {}),
    body: String(row.body),
    options: row.options ? (JSON.parse(String(row.options)) as Definition['options']) : {},
    ...(str(row.partition_by) !== undefined ? { partitionBy: str(row.partition_by) } : {}),
    ...(str(row.cluster_by) !== undefined ? { clusterBy: str(row.cluster_by) } : {}),
    // A view created with a column list: its names, as written (descriptions are added from the column metadata).
    ...(str(row.column_names) !== undefined ? { explicitColumnNames: true, columns: (JSON.parse(String(row.column_names)) as string[]).map((name) => ({ name })) } : {}),
  };
}

/** Kept definitions plus DuckDB views created without BigQuery DDL (their DuckDB text stands in). */
export async function listLocalDefinitions(c: DuckDBConnection, project: string, datasets?: string[]): Promise<Definition[]> {
  const kept = (await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.definitions ORDER BY dataset, name, namespace`)).getRowObjectsJson();
  const out = kept.map((r) => rowToDefinition(r, project));
  const views = (await c.runAndReadAll(`SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal AND database_name = current_database() ORDER BY schema_name, view_name`)).getRowObjectsJson();
  for (const v of views) {
    const dataset = String(v.schema_name);
    const name = String(v.view_name);
    if (HIDDEN_SCHEMAS.has(dataset) || dataset.startsWith('_fake_')) continue;
    if (out.some((d) => d.dataset === dataset && d.name === name && isTableKind(d.kind))) continue;
    out.push({ kind: 'VIEW', project, dataset, name, body: duckViewBody(String(v.sql ?? '')), options: {} });
  }
  const described = await describedViewColumns(c);
  for (const d of out) {
    const columns = d.kind === 'VIEW' ? described.get(`${d.dataset}.${d.name}`) : undefined;
    if (!columns) continue;
    // An explicit list keeps its own names; the descriptions come from the view's columns, in order.
    d.columns = d.explicitColumnNames && d.columns?.length === columns.length ? d.columns.map((col, i) => ({ ...col, ...(columns[i]!.description ? { description: columns[i]!.description } : {}) })) : columns;
  }
  const want = datasets ? new Set(datasets) : undefined;
  return out.filter((d) => !want || want.has(d.dataset)).sort((a, b) => a.dataset.localeCompare(b.dataset) || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}

/**
 * `dataset.view` → the view's columns in order with their descriptions, for views with at least one
 * described column: what BigQuery's tables.get shows in a view's schema, and all of a column list it keeps.
 */
async function describedViewColumns(c: DuckDBConnection): Promise<Map<string, DefinitionColumn[]>> {
  const rows = (
    await c.runAndReadAll(
      `SELECT o.dataset, o.table_name, o.column_meta FROM ${META_SCHEMA}.objects o JOIN information_schema.tables t
         ON t.table_catalog = current_database() AND t.table_schema = o.dataset AND t.table_name = o.table_name AND t.table_type = 'VIEW'
       WHERE o.column_meta IS NOT NULL`,
    )
  ).getRowObjectsJson();
  const out = new Map<string, DefinitionColumn[]>();
  for (const r of rows) {
    const meta = JSON.parse(String(r.column_meta)) as Record<string, { description?: string }>;
    if (!Object.values(meta).some((m) => m.description)) continue;
    const names = await c.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $d AND table_name = $t ORDER BY ordinal_position`, { d: String(r.dataset), t: String(r.table_name) });
    out.set(
      `${String(r.dataset)}.${String(r.table_name)}`,
      names.getRowObjectsJson().map((n) => {
        const description = meta[String(n.column_name)]?.description;
        return { name: String(n.column_name), ...(description ? { description } : {}) };
      }),
    );
  }
  return out;
}

/** A created view's column descriptions become exactly its column list's, as on BigQuery, where CREATE OR REPLACE re-derives the schema (no list: none). */
async function keepColumnDescriptions(c: DuckDBConnection, def: Definition): Promise<void> {
  const change: Record<string, { description: string | null }> = {};
  for (const [name, meta] of Object.entries((await objectMeta(c, def.dataset, def.name)).columns ?? {})) if (meta.description !== undefined) change[name] = { description: null };
  for (const col of def.columns ?? []) if (col.description) change[col.name] = { description: col.description };
  if (Object.keys(change).length) await patchObject(c, def.dataset, def.name, { columns: change });
}

/** DuckDB's `CREATE VIEW x AS …;` → the query. */
export function duckViewBody(sql: string): string {
  return sql.replace(/^CREATE VIEW [^\n]*? AS /i, '').replace(/;\s*$/, '');
}

export async function getLocalDefinition(c: DuckDBConnection, project: string, kind: DefinitionKind, id: TableId): Promise<Definition | undefined> {
  const all = await listLocalDefinitions(c, project, [id.dataset]);
  return all.find((d) => d.name === id.table && (d.kind === kind || (isTableKind(kind) && isTableKind(d.kind) && d.kind === kind)));
}

/** The kept definition of a view or materialized view, if any (getTable reports its type and text). */
export async function keptTableDefinition(c: DuckDBConnection, project: string, dataset: string, name: string): Promise<Definition | undefined> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.definitions WHERE dataset = $d AND name = $n AND namespace = 'table'`, { d: dataset, n: name });
  const row = r.getRowObjectsJson()[0];
  return row ? rowToDefinition(row, project) : undefined;
}

async function objectExists(c: DuckDBConnection, d: Definition): Promise<'view' | 'table' | 'routine' | undefined> {
  if (isTableKind(d.kind)) {
    const r = await c.runAndReadAll(`SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $d AND table_name = $n`, { d: d.dataset, n: d.name });
    const t = r.getRowObjectsJson()[0]?.table_type;
    return t === undefined ? undefined : t === 'VIEW' ? 'view' : 'table';
  }
  const kept = await c.runAndReadAll(`SELECT 1 FROM ${META_SCHEMA}.definitions WHERE dataset = $d AND name = $n AND namespace = 'routine'`, { d: d.dataset, n: d.name });
  return kept.getRowObjectsJson().length ? 'routine' : undefined;
}

/** Runs a BigQuery CREATE of a view, materialized view or routine on DuckDB and keeps its text. */
export async function applyLocalCreate(c: DuckDBConnection, project: string, parsed: ParsedDefinition): Promise<void> {
  const def: Definition = { ...parsed.definition, project };
  const where = `${project}:${def.dataset}.${def.name}`;
  if (parsed.definition.project !== undefined && parsed.definition.project !== project) {
    throw new WarehouseError(`${kindWords(def.kind)} ${parsed.nameParts.join('.')}: project ${parsed.definition.project} is not this warehouse's project (${project})`, 'invalid');
  }
  const bad = definitionNameProblem(def);
  if (bad) throw new WarehouseError(`${kindWords(def.kind)} ${parsed.nameParts.join('.')}: ${bad}`, 'invalid');
  const schema = await c.runAndReadAll(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $d`, { d: def.dataset });
  if (!schema.getRowObjectsJson().length || HIDDEN_SCHEMAS.has(def.dataset)) throw new WarehouseError(`Not found: Dataset ${project}:${def.dataset}`, 'notFound');
  const existing = await objectExists(c, def);
  if (existing === 'table') throw new WarehouseError(`${where} is a table; a ${kindWords(def.kind).toLowerCase()} cannot replace it`, 'duplicate');
  if (existing && !parsed.replace) {
    if (parsed.ifNotExists) return;
    throw new WarehouseError(`Already Exists: ${isTableKind(def.kind) ? 'Table' : 'Routine'} ${where}`, 'duplicate');
  }
  const body = bigQueryToDuckDb(def.body, { projects: [project] });
  const name = duckDbDialect.table({ dataset: def.dataset, table: def.name });
  const args = argumentNames(def.arguments).map((a) => `"${a.replace(/"/g, '""')}"`).join(', ');
  let duck: string | undefined;
  const columnList = def.kind === 'VIEW' && def.columns?.length ? ` (${def.columns.map((col) => duckDbDialect.ident(col.name)).join(', ')})` : '';
  if (isTableKind(def.kind)) duck = `CREATE OR REPLACE VIEW ${name}${columnList} AS ${body.trim()}`;
  else if (runsInDuckDb(def) && def.kind === 'TABLE_FUNCTION') duck = `CREATE OR REPLACE MACRO ${name}(${args}) AS TABLE ${body.trim()}`;
  else if (runsInDuckDb(def)) duck = `CREATE OR REPLACE MACRO ${name}(${args}) AS (${body})`;
  await c.run('BEGIN TRANSACTION');
  try {
    if (!isTableKind(def.kind) && existing === 'routine') await dropMacro(c, def.dataset, def.name);
    if (duck) await c.run(duck);
    await c.run(`INSERT OR REPLACE INTO ${META_SCHEMA}.definitions (dataset, name, namespace, kind, arguments, returns, language, body, options, partition_by, cluster_by, column_names) VALUES ($dataset, $name, $ns, $kind, $arguments, $returns, $language, $body, $options, $partition, $cluster, $columns)`, {
      dataset: def.dataset,
      name: def.name,
      ns: namespaceOf(def.kind),
      kind: def.kind,
      arguments: def.arguments ?? null,
      returns: def.returns ?? null,
      language: def.language ?? null,
      body: def.body,
      options: JSON.stringify(def.options),
      partition: def.partitionBy ?? null,
      cluster: def.clusterBy ?? null,
      columns: def.kind === 'VIEW' && def.columns?.length ? JSON.stringify(def.columns.map((col) => col.name)) : null,
    });
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw duckError(err, `${kindWords(def.kind)} ${def.dataset}.${def.name} failed`);
  }
  if (isTableKind(def.kind)) await keepColumnDescriptions(c, def);
}

async function dropMacro(c: DuckDBConnection, dataset: string, name: string): Promise<void> {
  const r = await c.runAndReadAll(`SELECT function_type FROM duckdb_functions() WHERE schema_name = $d AND function_name = $n AND function_type IN ('macro', 'table_macro')`, { d: dataset, n: name });
  const type = r.getRowObjectsJson()[0]?.function_type;
  if (type === undefined) return;
  await c.run(`DROP MACRO ${type === 'table_macro' ? 'TABLE ' : ''}${duckDbDialect.table({ dataset, table: name })}`);
}

/** DROP VIEW|MATERIALIZED VIEW|FUNCTION|TABLE FUNCTION|PROCEDURE on DuckDB, and its kept text. */
export async function applyLocalDrop(c: DuckDBConnection, project: string, drop: DropStatement): Promise<void> {
  const [dataset, name] = drop.parts.slice(-2) as [string, string];
  const def = { kind: drop.kind, dataset, name } as Definition;
  const bad = definitionNameProblem(def);
  if (bad) throw new WarehouseError(`DROP ${kindWords(drop.kind)} ${drop.parts.join('.')}: ${bad}`, 'invalid');
  const existing = await objectExists(c, def);
  if (!existing || (existing === 'table' && isTableKind(drop.kind))) {
    if (drop.ifExists && !existing) return;
    if (existing === 'table') throw new WarehouseError(`${project}:${dataset}.${name} is a table, not a ${kindWords(drop.kind).toLowerCase()}`, 'invalid');
    throw new WarehouseError(`Not found: ${isTableKind(drop.kind) ? 'Table' : 'Routine'} ${project}:${dataset}.${name}`, 'notFound');
  }
  if (isTableKind(drop.kind)) await c.run(`DROP VIEW ${duckDbDialect.table({ dataset, table: name })}`);
  else await dropMacro(c, dataset, name);
  await c.run(`DELETE FROM ${META_SCHEMA}.definitions WHERE dataset = $d AND name = $n AND namespace = $ns`, { d: dataset, n: name, ns: namespaceOf(drop.kind) });
}

/** Keeps the BigQuery text of a view created through `createView` (tables.insert with a view). */
export async function keepViewText(c: DuckDBConnection, id: TableId, query: string): Promise<void> {
  await c.run(`INSERT OR REPLACE INTO ${META_SCHEMA}.definitions (dataset, name, namespace, kind, body, options) VALUES ($d, $n, 'table', 'VIEW', $body, '{}')`, { d: id.dataset, n: id.table, body: query });
}

/** Forgets the kept text of a table-namespace object a plain DuckDB statement created or replaced. */
export async function forgetTableText(c: DuckDBConnection, dataset: string, name: string): Promise<void> {
  await c.run(`DELETE FROM ${META_SCHEMA}.definitions WHERE dataset = $d AND name = $n AND namespace = 'table'`, { d: dataset, n: name });
}

/** Drops kept texts whose DuckDB object is gone (a dropped view or schema). Runs after every write: cheap when nothing is kept. */
export async function syncDefinitions(c: DuckDBConnection): Promise<void> {
  const kept = (await c.runAndReadAll(`SELECT dataset, name, namespace, kind, language FROM ${META_SCHEMA}.definitions`)).getRowObjectsJson();
  if (kept.length === 0) return;
  const key = (d: unknown, n: unknown) => `${String(d)}\u0000${String(n)}`;
  const schemas = new Set((await c.runAndReadAll(`SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()`)).getRowObjectsJson().map((r) => String(r.schema_name)));
  const views = new Set((await c.runAndReadAll(`SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal`)).getRowObjectsJson().map((r) => key(r.schema_name, r.view_name)));
  const macros = new Set((await c.runAndReadAll(`SELECT schema_name, function_name FROM duckdb_functions() WHERE database_name = current_database() AND function_type IN ('macro', 'table_macro') AND NOT internal`)).getRowObjectsJson().map((r) => key(r.schema_name, r.function_name)));
  for (const r of kept) {
    const runs = r.namespace === 'table' || (r.language === null && r.kind !== 'PROCEDURE');
    const gone = !schemas.has(String(r.dataset)) || (runs && !(r.namespace === 'table' ? views : macros).has(key(r.dataset, r.name)));
    if (gone) await c.run(`DELETE FROM ${META_SCHEMA}.definitions WHERE dataset = $d AND name = $n AND namespace = $ns`, { d: String(r.dataset), n: String(r.name), ns: String(r.namespace) });
  }
}

/**
 * A script holding BigQuery DDL of views, materialized views or routines: those statements run
 * through local-definitions (DuckDB view or macro, BigQuery text kept), the others as usual, in
 * order. Undefined when no statement is such DDL (the caller runs the script as usual).
 */
export async function runDefinitionScript(wh: LocalWarehouse, sql: string, opts: QueryOptions): Promise<QueryResult | undefined> {
  const statements = splitScript(sql).map((s) => {
    const create = parseDefinitionStatement(s.text);
    return { text: s.text, create: create.ok ? create.parsed : undefined, drop: create.ok ? undefined : parseDropStatement(s.text) };
  });
  if (!statements.some((s) => s.create || s.drop)) return undefined;
  let last: QueryResult = { rows: [] };
  for (const s of statements) {
    if (!s.create && !s.drop) {
      last = await wh.query(s.text, opts);
      continue;
    }
    if (opts.signal?.aborted) throw new WarehouseError('the query was cancelled', 'cancelled');
    const jobId = `local_${randomUUID()}`;
    await wh.withConnection(async (c) => {
      if (opts.dryRun) {
        // Validates the DuckDB form of a view's query without creating anything.
        if (s.create && (s.create.definition.kind === 'VIEW' || s.create.definition.kind === 'MATERIALIZED_VIEW')) {
          const body = bigQueryToDuckDb(s.create.definition.body, { projects: [wh.project] });
          await c.prepare(body).catch((err: unknown) => {
            throw duckError(err, 'invalid query');
          });
        }
      } else if (s.create) await applyLocalCreate(c, wh.project, s.create);
      else await applyLocalDrop(c, wh.project, s.drop!);
      await recordJob(c, { id: jobId, kind: 'query', statement: s.text, labels: opts.labels ?? wh.defaultLabels, dryRun: opts.dryRun, bytes: 0 });
      if (!opts.dryRun) {
        await syncObjects(c);
        await syncDefinitions(c);
      }
    });
    last = { rows: [], jobId, totalBytesProcessed: 0 };
  }
  return last;
}

/** A quick test before parsing: could this text hold a CREATE or DROP of a definition? */
export function mayHoldDefinitionDdl(sql: string): boolean {
  return /\b(?:CREATE|DROP)\b/i.test(sql) && /\b(?:VIEW|FUNCTION|PROCEDURE)\b/i.test(sql);
}

// ---- scheduled queries -------------------------------------------------------------------------

function rowToScheduled(row: Record<string, unknown>): ScheduledQuery {
  const params = row.params ? (JSON.parse(String(row.params)) as Record<string, unknown>) : {};
  return {
    name: String(row.name),
    displayName: String(row.display_name ?? ''),
    ...(row.schedule ? { schedule: String(row.schedule) } : {}),
    disabled: row.disabled === true,
    query: String(params.query ?? ''),
    ...(row.destination_dataset ? { destinationDataset: String(row.destination_dataset) } : {}),
    ...(params.destination_table_name_template !== undefined ? { destinationTable: String(params.destination_table_name_template) } : {}),
    ...(params.write_disposition !== undefined ? { writeDisposition: String(params.write_disposition) } : {}),
    params,
    ...(row.update_time ? { updateTime: new Date(`${String(row.update_time).replace(' ', 'T')}Z`).toISOString() } : {}),
  };
}

export async function listLocalScheduled(c: DuckDBConnection): Promise<ScheduledQuery[]> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.scheduled_queries ORDER BY name`);
  return r.getRowObjectsJson().map(rowToScheduled);
}

export async function getLocalScheduled(c: DuckDBConnection, name: string): Promise<ScheduledQuery | undefined> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.scheduled_queries WHERE name = $n`, { n: name });
  const row = r.getRowObjectsJson()[0];
  return row ? rowToScheduled(row) : undefined;
}

/** Creates or replaces a scheduled query (the local stand-in for transferConfigs.create). */
export async function putLocalScheduled(c: DuckDBConnection, q: Omit<ScheduledQuery, 'updateTime'>): Promise<ScheduledQuery> {
  const params = { ...q.params, query: q.query, ...(q.destinationTable !== undefined ? { destination_table_name_template: q.destinationTable } : {}), ...(q.writeDisposition !== undefined ? { write_disposition: q.writeDisposition } : {}) };
  await c.run(`INSERT OR REPLACE INTO ${META_SCHEMA}.scheduled_queries VALUES ($name, $display, $schedule, $disabled, $dest, $params, now()::TIMESTAMP)`, {
    name: q.name,
    display: q.displayName,
    schedule: q.schedule ?? null,
    disabled: q.disabled,
    dest: q.destinationDataset ?? null,
    params: JSON.stringify(params),
  });
  return (await getLocalScheduled(c, q.name))!;
}

export async function updateLocalScheduled(c: DuckDBConnection, name: string, update: ScheduledQueryUpdate): Promise<ScheduledQuery> {
  const current = await getLocalScheduled(c, name);
  if (!current) throw new WarehouseError(`Not found: transfer config ${name}`, 'notFound');
  return putLocalScheduled(c, {
    ...current,
    ...(update.query !== undefined ? { query: update.query } : {}),
    ...(update.destinationDataset !== undefined ? { destinationDataset: update.destinationDataset } : {}),
    ...(update.destinationTable !== undefined ? { destinationTable: update.destinationTable } : {}),
  });
}
