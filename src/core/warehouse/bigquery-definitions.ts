/**
 * Views, materialized views and routines on BigQuery, read as the warehouse keeps them: names and
 * texts from the dataset's INFORMATION_SCHEMA.VIEWS, MATERIALIZED_VIEWS, ROUTINES and PARAMETERS,
 * options (description, friendly name, labels, expiration, refresh, libraries) and a view's column
 * descriptions (its schema) from tables.get and routines.get. Bodies are returned exactly as written, so the rendered statement re-creates them.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { WarehouseError } from './errors';
import type { Definition, DefinitionKind, DefinitionOptions, TableId } from './types';

/** What the definitions code needs of the BigQuery warehouse: its project, queries and retried API calls. */
export interface BigQueryAccess {
  readonly project: string;
  readonly client: BigQuery;
  query(sql: string, opts?: { params?: Record<string, unknown> }): Promise<{ rows: Record<string, unknown>[] }>;
  retry<T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T>;
}

interface TableMeta {
  type?: string;
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  expirationTime?: string;
  view?: { query?: string; useExplicitColumnNames?: boolean };
  materializedView?: { query?: string; enableRefresh?: boolean; refreshIntervalMs?: string };
  timePartitioning?: { type?: string; field?: string };
  rangePartitioning?: { field?: string; range?: { start?: string; end?: string; interval?: string } };
  clustering?: { fields?: string[] };
  schema?: { fields?: { name: string; type?: string; description?: string }[] };
}

interface RoutineMeta {
  description?: string;
  importedLibraries?: string[];
  definitionBody?: string;
}

const ROUTINE_KINDS: Record<string, DefinitionKind> = {
  FUNCTION: 'FUNCTION',
  'SCALAR FUNCTION': 'FUNCTION',
  'TABLE FUNCTION': 'TABLE_FUNCTION',
  'AGGREGATE FUNCTION': 'AGGREGATE_FUNCTION',
  PROCEDURE: 'PROCEDURE',
};

/** INFORMATION_SCHEMA's language names → DDL's `LANGUAGE` spelling. */
const LANGUAGES: Record<string, string> = { JAVASCRIPT: 'js', PYTHON: 'python', JAVA: 'java', SCALA: 'scala' };

const schema = (a: BigQueryAccess, dataset: string, view: string) => `\`${a.project}.${dataset}.INFORMATION_SCHEMA.${view}\``;

function isNotFound(err: unknown): boolean {
  return err instanceof WarehouseError && err.reason === 'notFound';
}

async function tableMeta(a: BigQueryAccess, dataset: string, table: string): Promise<TableMeta | undefined> {
  try {
    const [meta] = await a.retry(`get table ${dataset}.${table}`, () => a.client.dataset(dataset).table(table).getMetadata());
    return meta as TableMeta;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function routineMeta(a: BigQueryAccess, dataset: string, routine: string): Promise<RoutineMeta | undefined> {
  try {
    const [meta] = await a.retry(`get routine ${dataset}.${routine}`, () => a.client.dataset(dataset).routine(routine).getMetadata());
    return meta as RoutineMeta;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function tableOptions(meta: TableMeta): DefinitionOptions {
  const o: DefinitionOptions = {};
  if (meta.friendlyName) o.friendlyName = meta.friendlyName;
  if (meta.description) o.description = meta.description;
  if (meta.labels && Object.keys(meta.labels).length) o.labels = meta.labels;
  if (meta.expirationTime && /^\d+$/.test(meta.expirationTime)) o.expirationTimestamp = new Date(Number(meta.expirationTime)).toISOString();
  const mv = meta.materializedView;
  if (mv?.enableRefresh !== undefined) o.enableRefresh = mv.enableRefresh;
  if (mv?.refreshIntervalMs !== undefined && /^\d+$/.test(mv.refreshIntervalMs)) o.refreshIntervalMinutes = Number(mv.refreshIntervalMs) / 60_000;
  return o;
}

/** A materialized view's PARTITION BY as DDL: the column for DAY on a DATE, else a *_TRUNC. */
function partitionBy(meta: TableMeta): string | undefined {
  const tp = meta.timePartitioning;
  if (tp?.field) {
    const type = meta.schema?.fields?.find((f) => f.name === tp.field)?.type?.toUpperCase();
    const unit = (tp.type ?? 'DAY').toUpperCase();
    if (type === 'DATE') return unit === 'DAY' ? tp.field : `DATE_TRUNC(${tp.field}, ${unit})`;
    return `${type === 'DATETIME' ? 'DATETIME' : 'TIMESTAMP'}_TRUNC(${tp.field}, ${unit})`;
  }
  const rp = meta.rangePartitioning;
  if (rp?.field && rp.range) return `RANGE_BUCKET(${rp.field}, GENERATE_ARRAY(${rp.range.start}, ${rp.range.end}, ${rp.range.interval}))`;
  return undefined;
}

function viewDefinition(a: BigQueryAccess, kind: DefinitionKind, dataset: string, name: string, body: string, meta: TableMeta): Definition {
  const def: Definition = { kind, project: a.project, dataset, name, body, options: tableOptions(meta) };
  // A view created with a column list names its columns (its schema has them); descriptions live in the schema too.
  const fields = meta.schema?.fields ?? [];
  const explicit = kind === 'VIEW' && meta.view?.useExplicitColumnNames === true;
  if (explicit) def.explicitColumnNames = true;
  if (kind === 'VIEW' && (explicit || fields.some((f) => f.description))) def.columns = fields.map((f) => ({ name: f.name, ...(f.description ? { description: f.description } : {}) }));
  if (kind === 'MATERIALIZED_VIEW') {
    const p = partitionBy(meta);
    if (p) def.partitionBy = p;
    if (meta.clustering?.fields?.length) def.clusterBy = meta.clustering.fields.join(', ');
  }
  return def;
}

async function readViews(a: BigQueryAccess, dataset: string): Promise<Definition[]> {
  const views = (await a.query(`SELECT table_name, view_definition FROM ${schema(a, dataset, 'VIEWS')} ORDER BY table_name`)).rows;
  const mvs = new Set((await a.query(`SELECT table_name FROM ${schema(a, dataset, 'MATERIALIZED_VIEWS')}`)).rows.map((r) => String(r.table_name)));
  const out: Definition[] = [];
  const names = [...new Set([...views.map((v) => String(v.table_name)), ...mvs])].sort();
  for (const name of names) {
    const meta = await tableMeta(a, dataset, name);
    if (!meta) continue; // dropped between the listing and the get
    const isMv = mvs.has(name) || meta.type === 'MATERIALIZED_VIEW';
    const fromSchema = views.find((v) => String(v.table_name) === name)?.view_definition;
    const body = isMv ? meta.materializedView?.query : (fromSchema as string | undefined) ?? meta.view?.query;
    if (body === undefined) continue;
    out.push(viewDefinition(a, isMv ? 'MATERIALIZED_VIEW' : 'VIEW', dataset, name, String(body), meta));
  }
  return out;
}

async function readRoutines(a: BigQueryAccess, dataset: string, only?: string): Promise<Definition[]> {
  const filter = only !== undefined ? ' WHERE routine_name = @name' : '';
  const params = only !== undefined ? { params: { name: only } } : {};
  const routines = (await a.query(`SELECT routine_name, routine_type, routine_body, external_language, data_type, routine_definition FROM ${schema(a, dataset, 'ROUTINES')}${filter} ORDER BY routine_name`, params)).rows;
  if (routines.length === 0) return [];
  const pfilter = only !== undefined ? ' WHERE specific_name = @name' : '';
  const parameters = (await a.query(`SELECT specific_name, ordinal_position, parameter_mode, parameter_name, data_type FROM ${schema(a, dataset, 'PARAMETERS')}${pfilter} ORDER BY specific_name, ordinal_position`, params)).rows;
  const out: Definition[] = [];
  for (const r of routines) {
    const name = String(r.routine_name);
    const kind = ROUTINE_KINDS[String(r.routine_type).toUpperCase()];
    if (!kind) continue;
    const meta = await routineMeta(a, dataset, name);
    if (!meta) continue;
    const args = parameters
      .filter((p) => String(p.specific_name) === name && p.parameter_name !== null && p.parameter_name !== undefined && Number(p.ordinal_position) > 0)
      .map((p) => {
        const mode = kind === 'PROCEDURE' && p.parameter_mode && String(p.parameter_mode).toUpperCase() !== 'IN' ? `${String(p.parameter_mode).toUpperCase()} ` : '';
        return `${mode}${String(p.parameter_name)} ${String(p.data_type)}`;
      });
    const external = String(r.routine_body ?? '').toUpperCase() === 'EXTERNAL' || (r.external_language !== null && r.external_language !== undefined && String(r.external_language).toUpperCase() !== 'SQL');
    const options: DefinitionOptions = {};
    if (meta.description) options.description = meta.description;
    if (meta.importedLibraries?.length) options.library = meta.importedLibraries;
    out.push({
      kind,
      project: a.project,
      dataset,
      name,
      arguments: args.join(', '),
      ...(r.data_type !== null && r.data_type !== undefined && kind !== 'PROCEDURE' ? { returns: String(r.data_type) } : {}),
      ...(external ? { language: LANGUAGES[String(r.external_language).toUpperCase()] ?? String(r.external_language).toLowerCase() } : {}),
      body: String(r.routine_definition ?? meta.definitionBody ?? ''),
      options,
    });
  }
  return out;
}

/** Every view, materialized view and routine of `dataset`, sorted by name. */
export async function listBigQueryDefinitions(a: BigQueryAccess, dataset: string): Promise<Definition[]> {
  const [views, routines] = [await readViews(a, dataset), await readRoutines(a, dataset)];
  return [...views, ...routines].sort((x, y) => x.name.localeCompare(y.name) || x.kind.localeCompare(y.kind));
}

/** One definition, read back: tables.get for views, ROUTINES/PARAMETERS + routines.get for routines. */
export async function getBigQueryDefinition(a: BigQueryAccess, kind: DefinitionKind, id: TableId): Promise<Definition | undefined> {
  if (kind === 'VIEW' || kind === 'MATERIALIZED_VIEW') {
    const meta = await tableMeta(a, id.dataset, id.table);
    if (!meta || meta.type !== kind) return undefined;
    const body = kind === 'VIEW' ? meta.view?.query : meta.materializedView?.query;
    return body === undefined ? undefined : viewDefinition(a, kind, id.dataset, id.table, body, meta);
  }
  const [routine] = await readRoutines(a, id.dataset, id.table);
  return routine?.kind === kind ? routine : undefined;
}
