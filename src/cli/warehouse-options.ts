/**
 * Options shared by the warehouse commands (local, query, inventory,
 * check-access, export): --manifest, --backend and the BigQuery settings, and
 * opening the warehouse with ad-hoc job labels and retry notes on stderr.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findManifest, formatProblem, loadManifestFile, ManifestError, type LoadedManifest } from '../core/manifest/load';
import { IdentifierError } from '../core/warehouse/identifiers';
import { openWarehouse, WarehouseError } from '../core/warehouse/index';
import type { Warehouse } from '../core/warehouse/types';
import { UsageError, type CliIO } from './commands/types';
import { maxOf } from '../core/arrays';

export const WAREHOUSE_USAGE = `  --manifest F                 the manifest (default: bqmigrate.json found from the current folder up)
  --backend local|bigquery     local (default): the embedded DuckDB warehouse in <manifest dir>/.bqmigrate/local.duckdb;
                               bigquery: project and location from the manifest, Application Default Credentials
  --api-endpoint URL           BigQuery emulator or fake (also $BIGQUERY_EMULATOR_HOST); no credentials are sent
  --key-file F                 BigQuery service-account key file instead of Application Default Credentials
  --maximum-bytes-billed N     BigQuery: refuse any query whose dry run says it would bill more than N bytes`;

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export function parseWarehouseArgs<T extends Spec>(args: string[], extra: T, allowPositionals = false) {
  try {
    const r = parseArgs({
      args,
      options: {
        manifest: { type: 'string' },
        backend: { type: 'string' },
        'api-endpoint': { type: 'string' },
        'key-file': { type: 'string' },
        'maximum-bytes-billed': { type: 'string' },
        'max-bytes-billed': { type: 'string' },
        ...extra,
      },
      strict: true,
      allowPositionals,
    });
    const values = r.values as Record<string, string | boolean | string[] | undefined>;
    const backend = (values.backend as string | undefined) ?? 'local';
    if (backend !== 'local' && backend !== 'bigquery') throw new UsageError(`--backend must be "local" or "bigquery", not "${backend}"`);
    const capText = (values['maximum-bytes-billed'] ?? values['max-bytes-billed']) as string | undefined;
    const cap = capText === undefined ? undefined : Number(capText);
    if (cap !== undefined && !(Number.isInteger(cap) && cap > 0)) throw new UsageError('--maximum-bytes-billed must be a positive whole number of bytes');
    return { values, positionals: r.positionals, backend: backend as 'local' | 'bigquery', maximumBytesBilled: cap };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** Loads the manifest or prints every problem (file:line:column) and returns undefined. */
export function loadManifestFor(values: Record<string, unknown>, io: CliIO): LoadedManifest | undefined {
  const file = typeof values.manifest === 'string' ? path.resolve(io.cwd, values.manifest) : findManifest(io.cwd);
  if (!file) {
    io.stderr.write(`bqmigrate: no bqmigrate.json in ${io.cwd} or any parent folder; run \`bqmigrate init\` or pass --manifest\n`);
    return undefined;
  }
  const r = loadManifestFile(file);
  if (!r.ok) {
    for (const p of r.problems) io.stderr.write(`${formatProblem(p)}\n`);
    return undefined;
  }
  return r.loaded;
}

export async function openWarehouseFor(
  loaded: LoadedManifest,
  parsed: { values: Record<string, unknown>; backend: 'local' | 'bigquery'; maximumBytesBilled?: number },
  io: CliIO,
  command: string,
): Promise<Warehouse> {
  const str = (k: string) => (typeof parsed.values[k] === 'string' ? (parsed.values[k] as string) : undefined);
  const keyFile = str('key-file');
  return openWarehouse({
    backend: parsed.backend,
    loaded,
    bigquery: {
      apiEndpoint: str('api-endpoint'),
      keyFilename: keyFile ? path.resolve(io.cwd, keyFile) : undefined,
      maximumBytesBilled: parsed.maximumBytesBilled,
      defaultLabels: { run: `cli-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`, phase: 'adhoc', step: command },
      onRetry: (r) => io.stderr.write(`bqmigrate: ${r.what}: ${r.reason}, retry ${r.attempt} in ${r.delayMs} ms\n`),
    },
  });
}

/** Known failures print one line (with the missing permission when BigQuery named it): exit 1; manifest problems exit 2. */
export function reportWarehouseError(err: unknown, io: CliIO, command: string): number {
  if (err instanceof ManifestError) {
    for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  }
  if (err instanceof UsageError) throw err;
  if (err instanceof WarehouseError) {
    const perm = err.details.permission ? ` (missing permission ${err.details.permission})` : '';
    io.stderr.write(`bqmigrate ${command}: ${err.message}${perm} [${err.reason}]\n`);
    return 1;
  }
  if (err instanceof IdentifierError) {
    io.stderr.write(`bqmigrate ${command}: ${err.message}\n`);
    return 2;
  }
  io.stderr.write(`bqmigrate ${command}: ${(err as Error).message ?? String(err)}\n`);
  return 1;
}

/** Rows as an aligned text table. */
export function formatRows(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const body = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => maxOf(body.map((b) => b[i]!.length), c.length));
  const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}
