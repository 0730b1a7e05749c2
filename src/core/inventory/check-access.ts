/**
 * `bqmigrate check-access`: for each approved dataset, that it exists in the
 * expected location and that the current credentials can create, read and
 * drop a scratch table there. The probe is named `_bqmigrate_probe_<random>`
 * and always removed, even when a later check fails. A failure names the
 * missing permission when BigQuery says which.
 */
import { randomBytes } from 'node:crypto';
import type { LoadedManifest } from '../manifest/load';
import { WarehouseError } from '../warehouse/errors';
import type { JobLabels, Warehouse } from '../warehouse/types';
import type { OperationOptions } from './types';
import { maxOf } from '../arrays';

export const PROBE_PREFIX = '_bqmigrate_probe_';

export type CheckOutcome = 'ok' | 'failed' | 'skipped';

export interface AccessCheck {
  dataset: string;
  exists: boolean;
  location?: string;
  expectedLocation: string;
  locationOk: boolean;
  create: CheckOutcome;
  read: CheckOutcome;
  drop: CheckOutcome;
  /** The permission BigQuery named in a denial, e.g. bigquery.tables.create. */
  permission?: string;
  error?: string;
  /** A probe that could not be dropped (named so a person can remove it). */
  leftover?: string;
  ok: boolean;
}

export interface CheckAccessOptions extends OperationOptions {
  labels?: JobLabels;
}

/** The manifest's approved datasets and their expected locations. */
export function approvedDatasets(loaded: LoadedManifest): { dataset: string; location: string }[] {
  const m = loaded.manifest;
  return Object.entries(m.datasets).map(([dataset, d]) => ({ dataset, location: d.location ?? m.location }));
}

export async function checkAccess(wh: Warehouse, datasets: { dataset: string; location: string }[], opts: CheckAccessOptions = {}): Promise<AccessCheck[]> {
  const out: AccessCheck[] = [];
  for (const { dataset, location } of datasets) {
    if (opts.signal?.aborted) throw new WarehouseError('access check cancelled', 'cancelled');
    opts.onProgress?.(`check-access: ${dataset}…`);
    opts.onEvent?.({ event: 'action-start', action: `check-access:${dataset}` });
    const check = await checkOne(wh, dataset, location, opts);
    out.push(check);
    opts.onEvent?.(
      check.ok
        ? { event: 'action-end', action: `check-access:${dataset}`, details: { ...check } }
        : { event: 'action-error', action: `check-access:${dataset}`, error: check.error ?? 'access check failed', details: { ...check } },
    );
  }
  return out;
}

async function checkOne(wh: Warehouse, dataset: string, expectedLocation: string, opts: CheckAccessOptions): Promise<AccessCheck> {
  const check: AccessCheck = { dataset, exists: false, expectedLocation, locationOk: false, create: 'skipped', read: 'skipped', drop: 'skipped', ok: false };
  const fail = (err: unknown) => {
    const e = err as WarehouseError;
    check.error ??= e.message;
    check.permission ??= e instanceof WarehouseError ? e.details.permission : undefined;
  };
  try {
    const info = await wh.getDataset(dataset);
    if (!info) {
      check.error = `dataset ${dataset} does not exist; create it (phase "datasets") before checking access`;
      return check;
    }
    check.exists = true;
    check.location = info.location;
    check.locationOk = (info.location ?? '').toUpperCase() === expectedLocation.toUpperCase();
    if (!check.locationOk) check.error = `dataset ${dataset} is in ${info.location ?? 'an unknown location'}, the manifest expects ${expectedLocation}`;
  } catch (err) {
    fail(err);
    return check;
  }
  const probe = { dataset, table: `${PROBE_PREFIX}${randomBytes(6).toString('hex')}` };
  const name = wh.dialect.table(probe);
  let created = false;
  try {
    await wh.query(`CREATE TABLE ${name} AS SELECT 1 AS ${wh.dialect.ident('probe')}`, { labels: opts.labels, signal: opts.signal });
    created = true;
    check.create = 'ok';
    const r = await wh.query(`SELECT COUNT(*) AS ${wh.dialect.ident('n')} FROM ${name}`, { labels: opts.labels, signal: opts.signal });
    check.read = Number(r.rows[0]?.n) === 1 ? 'ok' : 'failed';
    if (check.read === 'failed') check.error ??= `reading the probe ${dataset}.${probe.table} returned ${JSON.stringify(r.rows)}`;
  } catch (err) {
    if (created) check.read = 'failed';
    else check.create = 'failed';
    fail(err);
  } finally {
    // The probe never outlives the check; a failed create may still have left a table behind.
    try {
      await wh.dropTable(probe, { labels: opts.labels, ifExists: !created });
      if (created) check.drop = 'ok';
    } catch (err) {
      if (created) {
        check.drop = 'failed';
        check.leftover = `${dataset}.${probe.table}`;
        fail(err);
      }
    }
  }
  check.ok = check.exists && check.locationOk && check.create === 'ok' && check.read === 'ok' && check.drop === 'ok';
  return check;
}

/** A plain-text table of the results (CLI, output channel). */
export function formatAccessTable(checks: AccessCheck[]): string {
  const header = ['dataset', 'exists', 'location', 'create', 'read', 'drop', 'result'];
  const rows = checks.map((c) => [
    c.dataset,
    c.exists ? 'yes' : 'NO',
    c.exists ? `${c.location ?? '?'}${c.locationOk ? '' : ` (expected ${c.expectedLocation})`}` : '-',
    c.create,
    c.read,
    c.drop,
    c.ok ? 'ok' : `FAILED${c.permission ? `: missing ${c.permission}` : ''}`,
  ]);
  const widths = header.map((h, i) => maxOf(rows.map((r) => r[i]!.length), h.length));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = checks.filter((c) => !c.ok && c.error).map((c) => `  ${c.dataset}: ${c.error}${c.leftover ? ` — remove ${c.leftover} by hand` : ''}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n';
}
