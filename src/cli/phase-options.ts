/** Options shared by the phase commands (init, plan, run, validate, rollback, status): parsing, manifest, warehouse. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findManifest, formatProblem, loadManifestFile, ManifestError, type LoadedManifest } from '../core/manifest/load';
import { checkPhasesManifest } from '../core/phases/manifest-check';
import { openWarehouse } from '../core/warehouse/index';
import type { Warehouse } from '../core/warehouse/types';
import { UsageError, type CliIO } from './commands/types';

export const COMMON_USAGE = `  --manifest F          the manifest (default: bqmigrate.json found from the current folder up)
  --backend B           local (default: the embedded DuckDB warehouse in .bqmigrate/local.duckdb) or bigquery
                        (Application Default Credentials; BIGQUERY_EMULATOR_HOST for an emulator)
  --max-bytes-billed N  BigQuery: fail any job that would bill more than N bytes`;

type Spec = Record<string, { type: 'string' | 'boolean' }>;

export function parsePhaseArgs<T extends Spec>(args: string[], extra: T) {
  try {
    const r = parseArgs({
      args,
      options: { manifest: { type: 'string' }, backend: { type: 'string' }, 'max-bytes-billed': { type: 'string' }, ...extra },
      strict: true,
      allowPositionals: false,
    });
    const values = r.values as Record<string, string | boolean | undefined>;
    const backend = (values.backend as string | undefined) ?? 'local';
    if (backend !== 'local' && backend !== 'bigquery') throw new UsageError(`--backend must be "local" or "bigquery", not "${backend}"`);
    return { values, backend: backend as 'local' | 'bigquery' };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** Loads the manifest or prints every problem (file:line:column) and returns undefined. */
export function loadForPhases(values: Record<string, unknown>, io: CliIO, opts: { phases?: boolean } = { phases: true }): LoadedManifest | undefined {
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
  if (opts.phases) {
    const problems = checkPhasesManifest(r.loaded);
    if (problems.length) {
      for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
      return undefined;
    }
  }
  return r.loaded;
}

export async function openFor(loaded: LoadedManifest, backend: 'local' | 'bigquery', values: Record<string, unknown>): Promise<Warehouse> {
  const cap = typeof values['max-bytes-billed'] === 'string' ? Number(values['max-bytes-billed']) : undefined;
  if (cap !== undefined && !(cap > 0)) throw new UsageError('--max-bytes-billed must be a positive number of bytes');
  return openWarehouse({ backend, loaded, bigquery: { maximumBytesBilled: cap } });
}

/** Manifest problems thrown from core (e.g. a phase check) are printed with their positions: exit 2. */
export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof ManifestError) {
    for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  }
  if (err instanceof UsageError) throw err;
  io.stderr.write(`bqmigrate: ${(err as Error).message}\n`);
  return 1;
}

/** Ctrl-C cancels the run: in-flight jobs are aborted, the journal records where it stopped. */
export function cancelOnSigint(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSig = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('\nbqmigrate: cancelling… (Ctrl-C again to quit at once; `--resume` continues later)\n');
    controller.abort();
  };
  process.on('SIGINT', onSig);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSig) };
}
