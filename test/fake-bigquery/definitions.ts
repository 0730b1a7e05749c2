/**
 * The fake's warehouse definitions: a dataset's INFORMATION_SCHEMA.VIEWS, MATERIALIZED_VIEWS,
 * ROUTINES and PARAMETERS materialised from the engine's local warehouse before a query that names
 * them; routines.list/get/insert/update/delete resources; and Data Transfer Service transfer
 * configs (scheduled queries) as the REST API returns them. Definitions themselves are kept by the
 * local warehouse (src/core/warehouse/local-definitions.ts): DDL run as a query job lands there,
 * and a view's column list with descriptions comes back, as on BigQuery, in tables.get's schema.
 */
import { renderDefinition } from '../../src/core/definitions/ddl';
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import type { Definition, DefinitionKind, ScheduledQuery } from '../../src/core/warehouse/types';
import { ApiFailure } from './engine';

const SCHEMA_VIEW = /`([A-Za-z0-9-]+)\.([A-Za-z0-9_]+)(?:`\.|\.)INFORMATION_SCHEMA\.(VIEWS|MATERIALIZED_VIEWS|ROUTINES|PARAMETERS)`?/gi;
const FAKE_SCHEMA = '_fake_information_schema';
const lit = (s: string | undefined | null) => (s === undefined || s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

export function namesDefinitionsView(sql: string): boolean {
  SCHEMA_VIEW.lastIndex = 0;
  return SCHEMA_VIEW.test(sql);
}

/** `IN x INT64, y ARRAY<STRING>` → [{ mode, name, type }]. */
export function splitArguments(args: string | undefined): { mode?: string; name: string; type: string }[] {
  const out: { mode?: string; name: string; type: string }[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of `${args ?? ''},`) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      const m = /^\s*(?:(IN|OUT|INOUT)\s+)?`?([A-Za-z_][A-Za-z0-9_]*)`?\s+([\s\S]+?)\s*$/i.exec(cur);
      if (m) out.push({ ...(m[1] ? { mode: m[1].toUpperCase() } : {}), name: m[2]!, type: m[3]!.replace(/\s+/g, ' ') });
      cur = '';
      continue;
    }
    cur += ch;
  }
  return out;
}

const ROUTINE_TYPE: Record<string, string> = { FUNCTION: 'FUNCTION', AGGREGATE_FUNCTION: 'AGGREGATE FUNCTION', TABLE_FUNCTION: 'TABLE FUNCTION', PROCEDURE: 'PROCEDURE' };
const API_ROUTINE_TYPE: Record<string, string> = { FUNCTION: 'SCALAR_FUNCTION', AGGREGATE_FUNCTION: 'AGGREGATE_FUNCTION', TABLE_FUNCTION: 'TABLE_VALUED_FUNCTION', PROCEDURE: 'PROCEDURE' };

/** Materialises the named INFORMATION_SCHEMA views of each dataset and returns the query rewritten onto them. */
export async function prepareDefinitionsQuery(wh: LocalWarehouse, sql: string, project: string): Promise<string> {
  await wh.query(`CREATE SCHEMA IF NOT EXISTS "${FAKE_SCHEMA}"`);
  SCHEMA_VIEW.lastIndex = 0;
  const wanted = [...sql.matchAll(SCHEMA_VIEW)].map((m) => ({ project: m[1]!, dataset: m[2]!, view: m[3]!.toUpperCase() }));
  for (const w of wanted) {
    if (w.project !== project) throw new ApiFailure(404, 'notFound', `Not found: Project ${w.project}`);
    if (!(await wh.getDataset(w.dataset))) throw new ApiFailure(404, 'notFound', `Not found: Dataset ${project}:${w.dataset}`);
    const defs = await wh.listDefinitions([w.dataset]);
    const table = `"${FAKE_SCHEMA}"."${w.dataset}__${w.view.toLowerCase()}"`;
    const rows: string[] = [];
    let columns = '';
    if (w.view === 'VIEWS') {
      columns = 'table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, view_definition VARCHAR, check_option VARCHAR, use_standard_sql VARCHAR';
      for (const d of defs) if (d.kind === 'VIEW') rows.push(`(${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, ${lit(d.body)}, NULL, 'YES')`);
    } else if (w.view === 'MATERIALIZED_VIEWS') {
      columns = 'table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, last_refresh_time TIMESTAMP, refresh_watermark TIMESTAMP, last_refresh_status VARCHAR';
      for (const d of defs) if (d.kind === 'MATERIALIZED_VIEW') rows.push(`(${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, now()::TIMESTAMP, now()::TIMESTAMP, NULL)`);
    } else if (w.view === 'ROUTINES') {
      columns = 'specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, routine_catalog VARCHAR, routine_schema VARCHAR, routine_name VARCHAR, routine_type VARCHAR, data_type VARCHAR, routine_body VARCHAR, routine_definition VARCHAR, external_language VARCHAR, ddl VARCHAR';
      for (const d of defs) {
        if (d.kind === 'VIEW' || d.kind === 'MATERIALIZED_VIEW') continue;
        const language = d.language === 'js' ? 'JAVASCRIPT' : d.language?.toUpperCase();
        rows.push(`(${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, ${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, ${lit(ROUTINE_TYPE[d.kind])}, ${lit(d.returns)}, ${lit(d.language ? 'EXTERNAL' : 'SQL')}, ${lit(d.body)}, ${lit(language)}, ${lit(renderDefinition(d, project))})`);
      }
    } else {
      columns = 'specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, ordinal_position BIGINT, is_result VARCHAR, parameter_mode VARCHAR, parameter_name VARCHAR, data_type VARCHAR, parameter_default VARCHAR, is_aggregate VARCHAR';
      for (const d of defs) {
        if (d.kind === 'VIEW' || d.kind === 'MATERIALIZED_VIEW') continue;
        if (d.returns) rows.push(`(${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, 0, 'YES', NULL, NULL, ${lit(d.returns)}, NULL, NULL)`);
        splitArguments(d.arguments).forEach((a, i) => {
          const mode = d.kind === 'PROCEDURE' ? (a.mode ?? 'IN') : null;
          rows.push(`(${lit(project)}, ${lit(d.dataset)}, ${lit(d.name)}, ${i + 1}, 'NO', ${lit(mode)}, ${lit(a.name)}, ${lit(a.type.toUpperCase())}, NULL, NULL)`);
        });
      }
    }
    await wh.query(`CREATE OR REPLACE TABLE ${table} (${columns})`);
    if (rows.length) await wh.query(`INSERT INTO ${table} VALUES ${rows.join(', ')}`);
  }
  SCHEMA_VIEW.lastIndex = 0;
  return sql.replace(SCHEMA_VIEW, (_m, _p: string, dataset: string, view: string) => `"${FAKE_SCHEMA}"."${dataset}__${view.toLowerCase()}"`);
}

/** A SQL type as the REST API's StandardSqlDataType. */
export function dataType(text: string): Record<string, unknown> {
  const t = text.trim();
  const array = /^ARRAY\s*<([\s\S]+)>$/i.exec(t);
  if (array) return { typeKind: 'ARRAY', arrayElementType: dataType(array[1]!) };
  const struct = /^STRUCT\s*<([\s\S]+)>$/i.exec(t);
  if (struct) return { typeKind: 'STRUCT', structType: { fields: splitArguments(struct[1]).map((f) => ({ name: f.name, type: dataType(f.type) })) } };
  return { typeKind: t.toUpperCase() };
}

/** A StandardSqlDataType as SQL text. */
export function typeText(t: Record<string, unknown> | undefined): string {
  if (!t) return 'ANY TYPE';
  if (t.typeKind === 'ARRAY') return `ARRAY<${typeText(t.arrayElementType as Record<string, unknown>)}>`;
  if (t.typeKind === 'STRUCT') return `STRUCT<${((t.structType as { fields?: { name: string; type: Record<string, unknown> }[] }).fields ?? []).map((f) => `${f.name} ${typeText(f.type)}`).join(', ')}>`;
  return String(t.typeKind);
}

export function routineResource(d: Definition, project: string): Record<string, unknown> {
  const now = String(Date.now());
  return {
    kind: 'bigquery#routine',
    etag: `"${Buffer.from(renderDefinition(d, project)).toString('base64').slice(0, 16)}"`,
    routineReference: { projectId: project, datasetId: d.dataset, routineId: d.name },
    routineType: API_ROUTINE_TYPE[d.kind],
    creationTime: now,
    lastModifiedTime: now,
    language: d.language === 'js' ? 'JAVASCRIPT' : d.language ? d.language.toUpperCase() : 'SQL',
    arguments: splitArguments(d.arguments).map((a) => ({ name: a.name, ...(a.type.toUpperCase() === 'ANY TYPE' ? { argumentKind: 'ANY_TYPE' } : { dataType: dataType(a.type) }), ...(d.kind === 'PROCEDURE' ? { mode: a.mode ?? 'IN' } : {}) })),
    ...(d.returns && !/^TABLE\s*</i.test(d.returns) ? { returnType: dataType(d.returns) } : {}),
    ...(d.options.library?.length ? { importedLibraries: d.options.library } : {}),
    definitionBody: d.body,
    ...(d.options.description !== undefined ? { description: d.options.description } : {}),
  };
}

/** routines.insert / update body → a Definition. */
export function definitionFromRoutine(body: Record<string, unknown>, dataset: string): Definition {
  const ref = body.routineReference as { routineId?: string } | undefined;
  if (!ref?.routineId) throw new ApiFailure(400, 'invalid', 'routineReference.routineId is missing');
  const kinds: Record<string, DefinitionKind> = { SCALAR_FUNCTION: 'FUNCTION', TABLE_VALUED_FUNCTION: 'TABLE_FUNCTION', PROCEDURE: 'PROCEDURE', AGGREGATE_FUNCTION: 'AGGREGATE_FUNCTION' };
  const kind = kinds[String(body.routineType)];
  if (!kind) throw new ApiFailure(400, 'invalid', `routineType ${String(body.routineType)} is not supported by the fake`);
  const args = ((body.arguments as { name: string; dataType?: Record<string, unknown>; argumentKind?: string; mode?: string }[] | undefined) ?? []).map(
    (a) => `${kind === 'PROCEDURE' && a.mode && a.mode !== 'IN' ? `${a.mode} ` : ''}${a.name} ${a.argumentKind === 'ANY_TYPE' ? 'ANY TYPE' : typeText(a.dataType)}`,
  );
  const language = String(body.language ?? 'SQL').toUpperCase();
  return {
    kind,
    dataset,
    name: ref.routineId,
    arguments: args.join(', '),
    ...(body.returnType ? { returns: typeText(body.returnType as Record<string, unknown>) } : {}),
    ...(language !== 'SQL' ? { language: language === 'JAVASCRIPT' ? 'js' : language.toLowerCase() } : {}),
    body: String(body.definitionBody ?? ''),
    options: {
      ...(body.description !== undefined ? { description: String(body.description) } : {}),
      ...((body.importedLibraries as string[] | undefined)?.length ? { library: body.importedLibraries as string[] } : {}),
    },
  };
}

/** A scheduled query as the Data Transfer API's TransferConfig JSON. */
export function transferConfigResource(q: ScheduledQuery): Record<string, unknown> {
  return {
    name: q.name,
    displayName: q.displayName,
    dataSourceId: 'scheduled_query',
    ...(q.destinationDataset ? { destinationDatasetId: q.destinationDataset } : {}),
    params: q.params,
    ...(q.schedule ? { schedule: q.schedule } : {}),
    disabled: q.disabled,
    updateTime: q.updateTime ?? new Date().toISOString(),
    state: q.disabled ? 'PENDING' : 'SUCCEEDED',
  };
}

/** The Data Transfer API's error JSON (google.rpc.Status over HTTP). */
export function dtsError(code: number, status: string, message: string): { error: unknown } {
  return { error: { code, message, status } };
}

/** What tables.get adds for a view or materialized view: its options and, for a materialized view, its query and refresh. */
export function viewResourceExtras(d: Definition | undefined): Record<string, unknown> {
  if (!d) return {};
  const o = d.options;
  return {
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.friendlyName !== undefined ? { friendlyName: o.friendlyName } : {}),
    ...(o.labels && Object.keys(o.labels).length ? { labels: o.labels } : {}),
    ...(o.expirationTimestamp !== undefined ? { expirationTime: String(Date.parse(o.expirationTimestamp)) } : {}),
    // A view created with a column list: tables.get says so, and its schema has the list's names.
    ...(d.kind === 'VIEW' && d.explicitColumnNames ? { view: { query: d.body, useLegacySql: false, useExplicitColumnNames: true } } : {}),
    ...(d.kind === 'MATERIALIZED_VIEW'
      ? {
          type: 'MATERIALIZED_VIEW',
          materializedView: { query: d.body, ...(o.enableRefresh !== undefined ? { enableRefresh: o.enableRefresh } : {}), ...(o.refreshIntervalMinutes !== undefined ? { refreshIntervalMs: String(o.refreshIntervalMinutes * 60_000) } : {}) },
          ...(d.clusterBy ? { clustering: { fields: d.clusterBy.split(',').map((f) => f.trim()) } } : {}),
        }
      : {}),
  };
}
