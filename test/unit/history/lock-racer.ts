/**
 * A process that races for the migration lock on command, for the lock race test: it reads
 * `race <n> <goAtMs>` lines from stdin, waits until goAtMs, tries `takeLock` as run `race-<n>-<name>`
 * and prints `{"n":…,"won":…,"error":…}`. On the local warehouse it opens the DuckDB file for each
 * try and closes it after (the winner keeps the lock, not the file), so the next taker meets the lock table.
 * argv: <manifest> <local|bigquery> <name> [apiEndpoint]
 */
import * as readline from 'node:readline';
import { takeLock, LockHeld } from '../../../src/core/history/lock';
import { runIdentity } from '../../../src/core/history/identity';
import { loadManifestOrThrow } from '../../../src/core/manifest/load';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';

const [manifest, backend, name, endpoint] = process.argv.slice(2) as [string, 'local' | 'bigquery', string, string | undefined];
const loaded = loadManifestOrThrow(manifest);
let shared: Warehouse | undefined;

async function open(): Promise<Warehouse> {
  if (backend === 'bigquery') return (shared ??= await openWarehouse({ backend, loaded, bigquery: { apiEndpoint: endpoint, maxRetries: 3, retryBaseDelayMs: 5 } }));
  return openWarehouse({ backend, loaded });
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [, n, goAt] = line.split(' ');
  void (async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, Number(goAt) - Date.now())));
    let won = false;
    let error: string | undefined;
    let wh: Warehouse | undefined;
    try {
      wh = await open();
      const lock = await takeLock(wh, loaded, { runId: `race-${n}-${name}`, identity: await runIdentity(wh, loaded), phases: ['p'], heartbeatMs: 3_600_000 });
      won = lock.runId === `race-${n}-${name}`;
    } catch (err) {
      error = err instanceof LockHeld ? `held by ${err.lock.runId}` : `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      if (backend === 'local') await wh?.close();
    }
    process.stdout.write(JSON.stringify({ n: Number(n), won, error }) + '\n');
  })();
});
lines.on('close', () => process.exit(0));
