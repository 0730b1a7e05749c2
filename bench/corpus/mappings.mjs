// A manifest with many mappings: the sample workspace's manifest (examples/cbi-warehouse) plus `count` generated
// entries shaped like an organisation's inventory — mostly exact names spread over 50 legacy datasets, one in ten a
// template over `{horizon}`, one in twenty a wildcard, and one duplicate (same from, same to) per thousand, so the
// manifest check has real pairs to find. Deterministic for a given count and seed; every entry passes the manifest
// check apart from the duplicates' warnings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as jsonc from 'jsonc-parser';
import { mulberry32 } from './generate.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const WORDS = ['soy', 'corn', 'wheat', 'palm', 'canola', 'crush', 'basis', 'spread', 'export', 'stock', 'yield', 'acre', 'rain', 'temp', 'fx', 'rate'];

/** The seeded generator the corpus uses: the same manifest on every machine. */
const random = mulberry32;

/** The generated mappings alone. */
export function generatedMappings(count, seed = 17, datasets = 50) {
  const rnd = random(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = [];
  for (let i = 0; out.length < count; i++) {
    const ds = `legacy_ds_${Math.floor(rnd() * datasets)}`;
    const stem = `${pick(WORDS)}_${pick(WORDS)}_${i}`;
    const r = rnd();
    if (r < 0.05) out.push({ from: `${ds}.stage_${stem}_{table}`, to: `features.stage_${stem}_{table}_daily`, status: 'planned' });
    else if (r < 0.15) out.push({ from: `${ds}.${stem}_{horizon}`, to: `features.${stem}_{horizon}_daily`, status: 'planned' });
    else out.push({ from: `${ds}.${stem}`, to: `features.${stem}_daily`, status: 'planned' });
    if (i % 1000 === 999 && out.length < count) out.push({ ...out[out.length - 1], note: 'duplicate entry' });
  }
  return out;
}

/** The manifest text: the sample manifest's fields and mappings, then the generated ones. */
export function manifestWithMappings(count, seed = 17, datasets = 50) {
  const sample = jsonc.parse(readFileSync(path.join(root, 'examples', 'cbi-warehouse', 'bqmigrate.json'), 'utf8'));
  sample.$schema = undefined;
  sample.mappings = [...sample.mappings, ...generatedMappings(count, seed, datasets)];
  return JSON.stringify(sample, null, 2) + '\n';
}
