/**
 * Lint workers kept from run to run (kept-workers.ts) through the real pool and worker threads: each run
 * gets its own manifest's and render's results, as a pool of fresh workers gives them; a run stopped early
 * leaves its workers fit for the next; a worker that stops between runs is replaced; idle workers stop
 * after `idleMs`; no more than `most` idle ones are kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import { lintFiles, lintFilesAsEslintJson, type LintFilesOptions } from '../../../src/core/lint/pool';
import { KeptWorkers } from '../../../src/core/lint/kept-workers';
import type { FileLintResult } from '../../../src/core/lint/file-lint';

const manifest = (to: string) => `{
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "mappings": [ { "from": "models_v4.old_t", "to": "training.${to}", "status": "migrated" } ]
}`;

/** 60 SQL files, every third naming the legacy table, and a manifest mapping it to `training.<to>`. */
function workspace(to: string): { dir: string; loaded: LoadedManifest } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-kept-'));
  const file = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(file, manifest(to));
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(dir, `q${String(i).padStart(2, '0')}.sql`), i % 3 === 0 ? `SELECT * FROM models_v4.old_t WHERE n = ${i};\n` : `SELECT ${i} FROM training.${to};\n`);
  const r = parseManifest(fs.readFileSync(file, 'utf8'), file);
  assert.ok(r.ok);
  return { dir, loaded: r.loaded };
}

/** Each file's findings as `name rule message`, sorted: what a run found, comparable across runs. */
async function findings(dir: string, loaded: LoadedManifest, opts: LintFilesOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const r of lintFiles([dir], loaded, opts)) out.push(...describe(r));
  return out.sort();
}

const describe = (r: FileLintResult) => r.violations.map((v) => `${path.basename(r.filePath)} ${v.ruleId} ${v.message}`);

async function eslintJson(dir: string, loaded: LoadedManifest, opts: LintFilesOptions): Promise<string> {
  const parts: string[] = [];
  for await (const r of lintFilesAsEslintJson([dir], loaded, opts)) parts.push(Buffer.from(r.json).toString('utf8'));
  return parts.join('');
}

const pooled = { workers: 2, inProcessLimit: 1 } as const;

test('kept workers lint each run with its own manifest and render, as fresh workers do, and are started once', async () => {
  const kept = new KeptWorkers();
  try {
    const a = workspace('new_a');
    const b = workspace('new_b');
    for (const round of [1, 2]) {
      for (const w of [a, b]) {
        const expected = await findings(w.dir, w.loaded, { workers: 0 });
        assert.ok(expected.some((f) => f.includes(`training.${w === a ? 'new_a' : 'new_b'}`)), 'the findings name this run\'s mapping');
        assert.deepEqual(await findings(w.dir, w.loaded, { ...pooled, keptWorkers: kept }), expected, `round ${round}: results`);
        assert.equal(await eslintJson(w.dir, w.loaded, { ...pooled, keptWorkers: kept }), await eslintJson(w.dir, w.loaded, pooled), `round ${round}: ESLint JSON`);
      }
    }
    assert.equal(kept.started, 2, 'eight runs, two workers started');
    assert.equal(kept.size, 2);
  } finally {
    await kept.close();
  }
  assert.equal(kept.size, 0);
});

test('a run stopped early gives its workers back fit for the next run; a worker that stopped between runs is replaced', async () => {
  const kept = new KeptWorkers();
  try {
    const w = workspace('new_t');
    const expected = await findings(w.dir, w.loaded, { workers: 0 });
    for await (const r of lintFiles([w.dir], w.loaded, { ...pooled, keptWorkers: kept })) {
      assert.ok(r.filePath);
      break; // the pool's batches are still being linted
    }
    assert.equal(kept.size, 2, 'both workers were given back once their batches had replied');
    assert.deepEqual(await findings(w.dir, w.loaded, { ...pooled, keptWorkers: kept }), expected);
    assert.equal(kept.started, 2);

    // One worker stops while idle: the set drops it, and the next run starts another.
    const one = kept.take(path.join(__dirname, '..', '..', '..', 'src', 'core', 'lint', 'worker.js'));
    await one.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(kept.size, 1);
    const notes: string[] = [];
    assert.deepEqual(await findings(w.dir, w.loaded, { ...pooled, keptWorkers: kept, onNote: (_f, n) => notes.push(n) }), expected);
    assert.deepEqual(notes, []);
    assert.equal(kept.started, 3);
    assert.equal(kept.size, 2);
  } finally {
    await kept.close();
  }
});

test('idle kept workers stop after idleMs; no more than `most` idle ones are kept', async () => {
  const w = workspace('new_t');
  const expected = await findings(w.dir, w.loaded, { workers: 0 });
  const idle = new KeptWorkers({ idleMs: 50 });
  try {
    assert.deepEqual(await findings(w.dir, w.loaded, { ...pooled, keptWorkers: idle }), expected);
    assert.equal(idle.size, 2);
    const until = Date.now() + 10_000;
    while (idle.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(idle.size, 0, 'the idle workers stopped');
    assert.deepEqual(await findings(w.dir, w.loaded, { ...pooled, keptWorkers: idle }), expected);
    assert.equal(idle.started, 4, 'the next run started two more');
  } finally {
    await idle.close();
  }

  const few = new KeptWorkers({ most: 2 });
  try {
    // Two runs at once: each takes two workers, four in all; two stay.
    const both = await Promise.all([findings(w.dir, w.loaded, { ...pooled, keptWorkers: few }), findings(w.dir, w.loaded, { ...pooled, keptWorkers: few })]);
    assert.deepEqual(both, [expected, expected]);
    assert.equal(few.started, 4);
    assert.equal(few.size, 2);
  } finally {
    await few.close();
  }
});
