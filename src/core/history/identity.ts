/**
 * Who runs and with which manifest: the principal (the OS user for the local warehouse and for a
 * BigQuery emulator; the credentials' principal on BigQuery), the host, the manifest hash and
 * the bqmigrate version, recorded on every history row and on the lock.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { version } from '../../../package.json';
import type { LoadedManifest } from '../manifest/load';
import type { Warehouse } from '../warehouse/types';
import type { RunIdentity } from './table';

/**
 * The manifest's hash over what decides what a run does: project, datasets, mappings (without the
 * statuses and dates runs write back), archive, shims, checks and phases. A run's own status
 * updates to bqmigrate.json therefore do not change it; an edited mapping or step does.
 */
export function manifestHash(loaded: LoadedManifest): string {
  const m = loaded.manifest;
  const mappings = m.mappings.map((x) => {
    const { status: _s, shimmedOn: _d, inventory: _i, ...rest } = x as Record<string, unknown>;
    return rest;
  });
  const basis = { project: m.project, location: m.location, datasets: Object.keys(m.datasets).sort(), mappings, variables: m.variables, archive: m.archive, shims: m.shims, checks: m.checks, phases: m.phases };
  return createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 16);
}

/** The OS user running bqmigrate. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The identity a run records; `principal` asks the warehouse when it can say (BigQuery's SESSION_USER()). */
export async function runIdentity(wh: Warehouse, loaded: LoadedManifest): Promise<RunIdentity> {
  const principal = (await wh.principal?.().catch(() => undefined)) ?? osUser();
  return { principal, host: os.hostname(), manifestHash: manifestHash(loaded), version };
}
