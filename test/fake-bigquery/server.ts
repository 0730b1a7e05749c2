/**
 * A loopback fake of BigQuery's REST API (v2), for the endpoints the Node
 * client calls: datasets get/insert/list/delete, tables get/list/insert/patch/
 * delete, tabledata.list, jobs insert (query incl. dryRun, copy, extract) /
 * get / cancel, jobs.getQueryResults, routines list/get/insert/update/delete,
 * with pageToken/maxResults paging; and the Data Transfer Service's
 * transferConfigs list/get/patch (/v1/…, scheduled queries).
 * Backed by DuckDB (engine.ts). Records every request and injects faults
 * (faults.ts). Listens on 127.0.0.1 only.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDefinition } from '../../src/core/definitions/ddl';
import { standardType } from '../../src/core/warehouse/bigquery-shapes';
import { bigQueryToDuckDb } from '../../src/core/warehouse/translate';
import { definitionFromRoutine, dtsError, routineResource, transferConfigResource, viewResourceExtras } from './definitions';
import { ApiFailure, encodeRows, FakeEngine, fields, metadataFromResource, toApiFailure } from './engine';
import { errorBody, Faults, type FaultRule } from './faults';
import { requireExportable } from './extract';
import { requireDatasetId, requireLabels, requireTableId } from './names';
import { isDone, look, requireJobLocation, visibleResource, type JobFailureReason } from './job-states';

export { Faults, type FaultRule } from './faults';

export interface FakeBigQueryOptions {
  project?: string;
  location?: string;
  /** Where gs://bucket/path extracts land: <gcsDir>/bucket/path (default: a temp folder, removed on close). */
  gcsDir?: string;
  /** Largest page of datasets/tables the server returns whatever maxResults asks (default 1,000). */
  maxPageSize?: number;
  /** Largest page of rows (tabledata.list, getQueryResults); default maxPageSize. */
  maxRowsPerPage?: number;
  /** getQueryResults answers jobComplete:false this many times per job before the rows. */
  incompletePolls?: number;
  /** Looks (jobs.get, getQueryResults) a job takes to be DONE; default 2: PENDING → RUNNING → DONE. */
  jobLooks?: number;
  /** Largest table an extract job writes to one file (default 1 GiB, BigQuery's limit); larger needs a `*` URI. */
  singleFileLimitBytes?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the /bigquery/v2 prefix. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
  fault?: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeBigQuery {
  url: string;
  project: string;
  engine: FakeEngine;
  faults: Faults;
  requests: RecordedRequest[];
  gcsDir: string;
  /** Job resources inserted (not dry runs), in order. */
  jobBodies(): Record<string, unknown>[];
  /** Data Transfer transferConfigs.patch calls that took effect, in order. */
  transferPatches: { name: string; paths: string[]; body: unknown }[];
  close(): Promise<void>;
}

const page = <T>(items: T[], q: Record<string, string>, max: number) => {
  const start = q.pageToken ? Number(q.pageToken) : 0;
  const size = Math.min(q.maxResults ? Number(q.maxResults) : max, max);
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { slice, next };
};

export async function startFakeBigQuery(opts: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const project = opts.project ?? 'cbi-v14';
  const location = opts.location ?? 'US';
  // A bucket folder of its own is removed on close; one the test handed in is the test's.
  const ownGcsDir = opts.gcsDir === undefined;
  const gcsDir = opts.gcsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fake-gcs-'));
  const engine = await FakeEngine.create(project, location, gcsDir);
  engine.jobLooks = opts.jobLooks ?? 2;
  if (opts.singleFileLimitBytes !== undefined) engine.singleFileLimitBytes = opts.singleFileLimitBytes;
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const max = opts.maxPageSize ?? 1000;
  const maxRows = opts.maxRowsPerPage ?? max;
  // tables.get and tabledata.list measure the table in DuckDB; cached until the next write.
  const infoCache = new Map<string, Promise<Awaited<ReturnType<FakeEngine['requireTable']>>>>();
  const tableInfo = (d: string, t: string) => {
    const key = `${d}.${t}`;
    if (!infoCache.has(key)) infoCache.set(key, engine.requireTable(d, t).catch((e: unknown) => { infoCache.delete(key); throw e; }));
    return infoCache.get(key)!;
  };
  const polls = new Map<string, number>();
  /** transferConfigs.patch calls that took effect: name, update mask paths, body. */
  const patches: { name: string; paths: string[]; body: unknown }[] = [];

  async function route(method: string, p: string, q: Record<string, string>, body: Record<string, unknown> | undefined, injected?: JobFailureReason): Promise<[number, unknown]> {
    const parts = p.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'projects' || !parts[1]) throw new ApiFailure(404, 'notFound', `Not found: URL ${p}`);
    if (parts[1] !== project) throw new ApiFailure(404, 'notFound', `Not found: Project ${parts[1]}`);
    const [, , collection, id, sub, subId, leaf] = parts;
    if (collection === 'datasets') {
      if (id === undefined) {
        if (method === 'GET') {
          const all = await engine.wh.listDatasets();
          const { slice, next } = page(all, q, max);
          return [200, { kind: 'bigquery#datasetList', datasets: slice.map((d) => engine.datasetResource(d)), ...(next ? { nextPageToken: next } : {}) }];
        }
        if (method === 'POST') {
          const ref = (body?.datasetReference ?? {}) as { datasetId?: string };
          if (!ref.datasetId) throw new ApiFailure(400, 'invalid', 'Dataset reference is missing');
          requireDatasetId(ref.datasetId);
          requireLabels(body?.labels);
          if (await engine.wh.getDataset(ref.datasetId)) throw new ApiFailure(409, 'duplicate', `Already Exists: Dataset ${project}:${ref.datasetId}`);
          await engine.wh.createDataset({
            dataset: ref.datasetId,
            location: (body?.location as string) ?? location,
            description: body?.description as string,
            labels: body?.labels as Record<string, string>,
            ...(body?.defaultTableExpirationMs ? { defaultTableExpirationMs: Number(body.defaultTableExpirationMs) } : {}),
          });
          return [200, engine.datasetResource((await engine.wh.getDataset(ref.datasetId))!)];
        }
      }
      const ds = await engine.wh.getDataset(id!);
      if (!ds) throw new ApiFailure(404, 'notFound', `Not found: Dataset ${project}:${id}`);
      if (sub === undefined) {
        if (method === 'GET') return [200, engine.datasetResource(ds)];
        if (method === 'DELETE') {
          const tables = await engine.wh.listTables(id!);
          if (tables.length && q.deleteContents !== 'true') throw new ApiFailure(400, 'resourceInUse', `Dataset ${project}:${id} is still in use`);
          await engine.wh.query(`DROP SCHEMA "${id}" CASCADE`);
          return [204, undefined];
        }
      }
      if (sub === 'tables') {
        if (subId === undefined) {
          if (method === 'GET') {
            const all = await engine.wh.listTables(id!);
            const { slice, next } = page(all, q, max);
            return [200, { kind: 'bigquery#tableList', tables: slice.map((t) => engine.tableResource(t, false)), totalItems: all.length, ...(next ? { nextPageToken: next } : {}) }];
          }
          if (method === 'POST') return [200, await insertTable(id!, body ?? {})];
        }
        if (leaf === 'data' && method === 'GET') {
          const t = await tableInfo(id!, subId!);
          requireExportable(t, project);
          const start = q.pageToken ? Number(q.pageToken) : 0;
          const size = Math.min(q.maxResults ? Number(q.maxResults) : maxRows, maxRows);
          const r = await engine.wh.query(`SELECT * FROM "${id}"."${subId!.replace(/"/g, '""')}" LIMIT ${size} OFFSET ${start}`);
          const next = start + size < (t.rowCount ?? 0) ? String(start + size) : undefined;
          return [200, { kind: 'bigquery#tableDataList', totalRows: String(t.rowCount ?? 0), rows: encodeRows(t.schema, r.rows), ...(next ? { pageToken: next } : {}) }];
        }
        if (leaf === undefined) {
          const t = method === 'GET' ? await tableInfo(id!, subId!) : await engine.requireTable(id!, subId!);
          if (method === 'GET') {
            const def = t.type === 'VIEW' || t.type === 'MATERIALIZED_VIEW' ? await engine.wh.getDefinition(t.type, { dataset: id!, table: subId! }) : undefined;
            return [200, { ...engine.tableResource(t), ...viewResourceExtras(def) }];
          }
          if (method === 'DELETE') {
            await engine.wh.dropTable({ dataset: id!, table: subId! });
            return [204, undefined];
          }
          if (method === 'PATCH' || method === 'PUT') {
            requireLabels(body?.labels);
            const view = body?.view as { query?: string } | undefined;
            if (view?.query !== undefined) {
              if (t.type !== 'VIEW') throw new ApiFailure(400, 'invalid', `Cannot change a table into a view: ${project}:${id}.${subId}`);
              await engine.wh.createView({ dataset: id!, table: subId! }, view.query, { replace: true });
            }
            await patchMetadata(id!, subId!, t, body ?? {});
            return [200, engine.tableResource((await engine.requireTable(id!, subId!))!)];
          }
        }
      }
    }
    if (collection === 'datasets' && sub === 'routines') return routeRoutines(method, id!, subId, q, body);
    if (collection === 'jobs') {
      if (id === undefined && method === 'POST') {
        const job = await engine.insertJob(body ?? {}, injected);
        return [200, visibleResource(job)];
      }
      const job = engine.jobs.get(id!);
      if (!job) throw new ApiFailure(404, 'notFound', `Not found: Job ${project}:${q.location ?? location}.${id}`);
      requireJobLocation(job, q.location, project);
      if (sub === 'cancel' && method === 'POST') return [200, { kind: 'bigquery#jobCancelResponse', job: visibleResource(job) }];
      if (sub === undefined && method === 'GET') return [200, look(job)];
    }
    if (collection === 'queries' && id !== undefined && method === 'GET') {
      const job = engine.jobs.get(id);
      if (!job) throw new ApiFailure(404, 'notFound', `Not found: Job ${project}:${q.location ?? location}.${id}`);
      requireJobLocation(job, q.location, project);
      const jobReference = (job.resource as { jobReference: unknown }).jobReference;
      look(job);
      if (!isDone(job)) return [200, { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false }];
      if (job.failure) throw job.failure;
      const seen = polls.get(id) ?? 0;
      if (seen < (opts.incompletePolls ?? 0)) {
        polls.set(id, seen + 1);
        return [200, { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false }];
      }
      const result = job.result ?? { schema: [], rows: [] };
      const { slice, next } = page(result.rows, q, maxRows);
      const stats = (job.resource as { statistics: { totalBytesProcessed?: string } }).statistics;
      return [
        200,
        {
          kind: 'bigquery#getQueryResultsResponse',
          jobReference,
          jobComplete: true,
          schema: { fields: fields(result.schema) },
          rows: encodeRows(result.schema, slice),
          totalRows: String(result.rows.length),
          totalBytesProcessed: stats.totalBytesProcessed ?? '0',
          cacheHit: false,
          ...(result.affected !== undefined ? { numDmlAffectedRows: String(result.affected) } : {}),
          ...(next ? { pageToken: next } : {}),
        },
      ];
    }
    throw new ApiFailure(404, 'notFound', `Not found: ${method} ${p} is not an endpoint of the fake`);
  }

  async function routeRoutines(method: string, dataset: string, routine: string | undefined, q: Record<string, string>, body: Record<string, unknown> | undefined): Promise<[number, unknown]> {
    const routines = async () => (await engine.wh.listDefinitions([dataset])).filter((d) => d.kind !== 'VIEW' && d.kind !== 'MATERIALIZED_VIEW');
    if (routine === undefined) {
      if (method === 'GET') {
        const { slice, next } = page(await routines(), q, max);
        return [200, { kind: 'bigquery#listRoutinesResponse', routines: slice.map((d) => routineResource(d, project)), ...(next ? { nextPageToken: next } : {}) }];
      }
      if (method === 'POST') {
        const def = definitionFromRoutine(body ?? {}, dataset);
        if ((await routines()).some((d) => d.name === def.name)) throw new ApiFailure(409, 'duplicate', `Already Exists: Routine ${project}:${dataset}.${def.name}`);
        await engine.wh.query(renderDefinition(def, project));
        return [200, routineResource((await routines()).find((d) => d.name === def.name)!, project)];
      }
    } else {
      const current = (await routines()).find((d) => d.name === routine);
      if (!current) throw new ApiFailure(404, 'notFound', `Not found: Routine ${project}:${dataset}.${routine}`);
      if (method === 'GET') return [200, routineResource(current, project)];
      if (method === 'DELETE') {
        await engine.wh.query(`DROP ${current.kind === 'TABLE_FUNCTION' ? 'TABLE FUNCTION' : current.kind === 'PROCEDURE' ? 'PROCEDURE' : 'FUNCTION'} \`${project}.${dataset}.${routine}\``);
        return [204, undefined];
      }
      if (method === 'PUT') {
        await engine.wh.query(renderDefinition(definitionFromRoutine(body ?? {}, dataset), project));
        return [200, routineResource((await routines()).find((d) => d.name === routine)!, project)];
      }
    }
    throw new ApiFailure(404, 'notFound', `Not found: ${method} routines is not an endpoint of the fake`);
  }

  /** The Data Transfer Service's REST API: transferConfigs list/get/patch over the engine's scheduled queries. */
  async function routeTransfer(method: string, p: string, q: Record<string, string>, body: Record<string, unknown> | undefined): Promise<[number, unknown]> {
    const m = /^\/v1\/projects\/([^/]+)(?:\/locations\/([^/]+))?\/transferConfigs(?:\/([^/]+))?$/.exec(p);
    if (!m) return [404, dtsError(404, 'NOT_FOUND', `Not found: ${method} ${p} is not an endpoint of the fake`)];
    const [, proj, loc, id] = m;
    if (decodeURIComponent(proj!) !== project) return [404, dtsError(404, 'NOT_FOUND', `Project ${proj} not found`)];
    const all = await engine.wh.listScheduledQueries();
    const inLocation = all.filter((c) => !loc || loc === '-' || c.name.includes(`/locations/${loc}/`));
    if (id === undefined) {
      if (method !== 'GET') return [404, dtsError(404, 'NOT_FOUND', `${method} ${p} is not an endpoint of the fake`)];
      const sources = q.dataSourceIds?.split(',');
      const list = inLocation.filter(() => !sources || sources.includes('scheduled_query'));
      const size = Math.min(q.pageSize ? Number(q.pageSize) : max, max);
      const start = q.pageToken ? Number(q.pageToken) : 0;
      const next = start + size < list.length ? String(start + size) : undefined;
      return [200, { transferConfigs: list.slice(start, start + size).map(transferConfigResource), ...(next ? { nextPageToken: next } : {}) }];
    }
    const current = inLocation.find((c) => c.name.endsWith(`/transferConfigs/${id}`));
    if (!current) return [404, dtsError(404, 'NOT_FOUND', `Transfer config ${p.slice(4)} not found`)];
    if (method === 'GET') return [200, transferConfigResource(current)];
    if (method === 'PATCH') {
      const paths = (q.updateMask ?? q['update_mask.paths'] ?? '').split(',').map((x) => x.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).filter(Boolean);
      if (paths.length === 0) return [400, dtsError(400, 'INVALID_ARGUMENT', 'update_mask is required')];
      const unknown = paths.filter((x) => x !== 'params' && x !== 'destination_dataset_id');
      if (unknown.length) return [400, dtsError(400, 'INVALID_ARGUMENT', `the fake updates params and destination_dataset_id only, not ${unknown.join(', ')}`)];
      const params = (body?.params ?? {}) as Record<string, unknown>;
      if (paths.includes('params') && typeof params.query !== 'string') return [400, dtsError(400, 'INVALID_ARGUMENT', 'params.query is required for a scheduled query')];
      const updated = await engine.wh.putScheduledQuery({
        ...current,
        ...(paths.includes('params') ? { params, query: String(params.query), destinationTable: params.destination_table_name_template as string | undefined, writeDisposition: params.write_disposition as string | undefined } : {}),
        ...(paths.includes('destination_dataset_id') ? { destinationDataset: String(body?.destinationDatasetId ?? '') } : {}),
      });
      patches.push({ name: current.name, paths, body });
      return [200, transferConfigResource(updated)];
    }
    return [404, dtsError(404, 'NOT_FOUND', `${method} ${p} is not an endpoint of the fake`)];
  }

  async function insertTable(dataset: string, body: Record<string, unknown>): Promise<unknown> {
    const ref = body.tableReference as { tableId?: string } | undefined;
    if (!ref?.tableId) throw new ApiFailure(400, 'invalid', 'tableReference.tableId is missing');
    requireTableId(ref.tableId);
    requireLabels(body.labels);
    if (await engine.wh.getTable({ dataset, table: ref.tableId })) throw new ApiFailure(409, 'duplicate', `Already Exists: Table ${project}:${dataset}.${ref.tableId}`);
    const view = body.view as { query?: string } | undefined;
    if (view?.query) await engine.wh.createView({ dataset, table: ref.tableId }, view.query);
    else {
      const cols = ((body.schema as { fields?: { name: string; type: string; mode?: string }[] } | undefined)?.fields ?? []).map(
        (f) => `"${f.name.replace(/"/g, '""')}" ${bigQueryToDuckDb(standardType(f.type))}${f.mode === 'REPEATED' ? '[]' : ''}`,
      );
      if (!cols.length) throw new ApiFailure(400, 'invalid', 'a table needs a schema (or a view query)');
      await engine.wh.query(`CREATE TABLE "${dataset}"."${ref.tableId.replace(/"/g, '""')}" (${cols.join(', ')})`);
      const meta = metadataFromResource(body);
      if (Object.keys(meta).length) await engine.wh.setTableOptions({ dataset, table: ref.tableId }, meta);
    }
    return engine.tableResource(await engine.requireTable(dataset, ref.tableId));
  }

  /** tables.patch of metadata: options as given, and descriptions/policy tags of existing columns (the fake adds no columns). */
  async function patchMetadata(dataset: string, table: string, current: { schema: { name: string }[]; partitioning?: string }, body: Record<string, unknown>): Promise<void> {
    const { partitioning, clustering, partitionExpirationMs, ...patch } = metadataFromResource(body);
    const unknown = Object.keys(patch.columns ?? {}).filter((c) => !current.schema.some((s) => s.name === c));
    if (unknown.length) throw new ApiFailure(400, 'invalid', `the fake adds no columns through tables.patch (${unknown.join(', ')} not in ${project}:${dataset}.${table})`);
    if (partitioning !== undefined && partitioning !== current.partitioning) throw new ApiFailure(400, 'invalid', `Cannot change partitioning spec for ${project}:${dataset}.${table}`);
    const change = { ...patch, ...(clustering !== undefined ? { clustering } : {}), ...(partitionExpirationMs !== undefined ? { partitionExpirationMs } : {}) };
    if (Object.keys(change).length) await engine.wh.setTableOptions({ dataset, table }, change);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const p = url.pathname.replace(/^\/bigquery\/v2/, '');
        const query = Object.fromEntries(url.searchParams.entries());
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> | undefined;
        try {
          body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : undefined;
        } catch {
          body = undefined;
        }
        const method = req.method ?? 'GET';
        if (method !== 'GET') infoCache.clear();
        const record: RecordedRequest = { method, path: p, query, body, status: 0, headers: req.headers };
        requests.push(record);
        const fault: FaultRule | undefined = faults.take({ method, path: p, body, rawBody });
        if (fault) record.fault = fault.kind;
        const send = (status: number, payload: unknown) => {
          record.status = status;
          if (status === 204 || payload === undefined) {
            res.writeHead(status).end();
            return;
          }
          const text = JSON.stringify(payload);
          res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) }).end(text);
        };
        const dts = p.startsWith('/v1/');
        switch (fault?.kind) {
          case 'unavailable':
            if (dts) return send(503, dtsError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
            return send(503, errorBody(503, 'backendError', 'The service is currently unavailable.'));
          case 'rateLimit':
            if (dts) return send(429, dtsError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Requests\' of service \'bigquerydatatransfer.googleapis.com\'.'));
            return send(403, errorBody(403, 'rateLimitExceeded', 'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas'));
          case 'internalError':
            if (dts) return send(500, dtsError(500, 'INTERNAL', 'Internal error encountered.'));
            return send(500, errorBody(500, 'internalError', 'An internal error occurred and the request could not be completed.'));
          case 'accessDenied': {
            const perm = fault.permission ?? 'bigquery.tables.create';
            return send(403, errorBody(403, 'accessDenied', `Access Denied: ${p}: Permission ${perm} denied (or it may not exist).`));
          }
          case 'notFound':
            return send(404, errorBody(404, 'notFound', `Not found: ${p}`));
          case 'drop':
            record.status = -1;
            return req.socket.destroy();
          case 'slow':
            await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
            if (res.destroyed || req.socket.destroyed) return;
            break;
          default:
            break;
        }
        let out: [number, unknown];
        try {
          out = dts ? await routeTransfer(method, p, query, body) : await route(method, p, query, body, fault?.kind === 'jobError' ? (fault.reason ?? 'backendError') : undefined);
        } catch (err) {
          const f = toApiFailure(err, project);
          out = [f.code, dts ? dtsError(f.code, f.code === 404 ? 'NOT_FOUND' : 'INTERNAL', f.message) : errorBody(f.code, f.reason, f.message)];
        }
        if (fault?.kind === 'dropAfter') {
          // The request took effect; only the answer is lost.
          record.status = -1;
          return req.socket.destroy();
        }
        if (!res.destroyed) send(out[0], out[1]);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    project,
    engine,
    faults,
    requests,
    gcsDir,
    transferPatches: patches,
    jobBodies: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs') && r.status === 200).map((r) => r.body as Record<string, unknown>),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      if (ownGcsDir) fs.rmSync(gcsDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
