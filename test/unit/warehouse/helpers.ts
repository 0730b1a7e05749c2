/** Shared by the warehouse and inventory tests: repo root, temp folders, a manifest on disk, a BigQuery warehouse on the fake. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import { openBigQueryWarehouse, type BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions } from '../../fake-bigquery/server';

// Google's auth library must never probe the GCE metadata server from a test.
process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

/** The folder holding package.json, from .ts (tsx) and from out/ (tsc) alike. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
}

export function tempDir(prefix = 'bqm-wh-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const MANIFEST = `{
  // test manifest
  "project": "cbi-v14",
  "location": "US",
  "datasets": {
    "training": { "description": "new training tables" },
    "archive": { "description": "archive" }
  },
  "variables": { "horizon": ["1w", "1m", "3m", "6m", "12m"], "surface": ["prod"] },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}" },
    { "from": "models_v4.trump_rich_2023_2025", "to": "training.zl_training_prod_trump2023_1m" },
    { "from": "models_v4.gone_table_2019", "to": "training.zl_training_prod_gone_1m" }
  ]
}
`;

export function writeManifest(dir: string, text = MANIFEST): LoadedManifest {
  const file = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(file, text);
  const r = parseManifest(text, file);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.loaded;
}

export async function fakeWarehouse(opts: FakeBigQueryOptions = {}, whOpts: Partial<Parameters<typeof openBigQueryWarehouse>[0]> = {}): Promise<{ fake: FakeBigQuery; wh: BigQueryWarehouse }> {
  const fake = await startFakeBigQuery(opts);
  const wh = await openBigQueryWarehouse({ project: fake.project, location: 'US', apiEndpoint: fake.url, retryBaseDelayMs: 2, maxRetries: 4, timeoutMs: 30_000, ...whOpts });
  return { fake, wh };
}
