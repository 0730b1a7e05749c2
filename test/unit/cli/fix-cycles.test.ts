/** `fix` on mapping chains and cycles: one pass over the text as read, a count of references changed, and a second run that changes nothing. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bqmigrate, buildOnce, snapshot } from './cli-helpers';

before(() => buildOnce());

function workspace(mappings: { from: string; to: string; status?: string }[], files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-cycles-'));
  const manifest = {
    project: 'proj-cycles',
    datasets: { training: { description: 'new' }, staging: { description: 'between' } },
    legacyDatasets: { models_v4: { description: 'old' } },
    mappings: mappings.map((m) => ({ status: 'migrated', ...m })),
  };
  fs.writeFileSync(path.join(dir, 'bqmigrate.json'), JSON.stringify(manifest, null, 2));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test('a chain A → B → C is renamed to C in one fix, counted once per reference; a second fix changes nothing', () => {
  const dir = workspace(
    [
      { from: 'models_v4.a', to: 'staging.b' },
      { from: 'staging.b', to: 'training.c' },
    ],
    { 'q.sql': 'SELECT * FROM models_v4.a JOIN `proj-cycles.models_v4.a` USING (d);\n' },
  );
  const r = bqmigrate(['fix'], dir);
  assert.match(r.stderr, /fixed 2 references in 1 file\n/);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'q.sql'), 'utf8'), 'SELECT * FROM training.c JOIN `proj-cycles.training.c` USING (d);\n');
  const state = snapshot(dir);
  const again = bqmigrate(['fix'], dir);
  assert.match(again.stderr, /fixed 0 references in 0 files\n/);
  assert.deepEqual(snapshot(dir), state);
});

test('a chain stops where a mapping on it is still planned', () => {
  const dir = workspace(
    [
      { from: 'models_v4.a', to: 'staging.b' },
      { from: 'staging.b', to: 'training.c', status: 'planned' },
    ],
    { 'q.sql': 'SELECT * FROM models_v4.a;\n' },
  );
  const r = bqmigrate(['fix'], dir);
  assert.match(r.stderr, /fixed 1 reference in 1 file/);
  assert.equal(fs.readFileSync(path.join(dir, 'q.sql'), 'utf8'), 'SELECT * FROM staging.b;\n');
});

test('a cycle A ↔ B is left alone by fix, swapped once by fix --swap-cycles, and a second fix changes nothing', () => {
  const dir = workspace(
    [
      { from: 'training.a', to: 'training.b' },
      { from: 'training.b', to: 'training.a' },
    ],
    { 'q.sql': 'SELECT * FROM training.a JOIN training.b USING (d) JOIN training.a USING (d);\n' },
  );
  const lint = bqmigrate(['lint'], dir);
  assert.match(lint.stdout, /training\.a was renamed to training\.b; the mappings form a rename cycle \(training\.a → training\.b → training\.a\).*--swap-cycles/);
  assert.doesNotMatch(lint.stdout, /\(fixable\)/, 'a cycle fix is not safe');
  const before = snapshot(dir);
  const plain = bqmigrate(['fix'], dir);
  assert.match(plain.stderr, /fixed 0 references in 0 files; 3 errors remain/);
  assert.deepEqual(snapshot(dir), before);
  const swap = bqmigrate(['fix', '--swap-cycles'], dir);
  assert.match(swap.stderr, /fixed 3 references in 1 file/);
  assert.equal(fs.readFileSync(path.join(dir, 'q.sql'), 'utf8'), 'SELECT * FROM training.b JOIN training.a USING (d) JOIN training.b USING (d);\n', 'swapped once, from the text as read');
  const state = snapshot(dir);
  const again = bqmigrate(['fix'], dir);
  assert.match(again.stderr, /fixed 0 references in 0 files/);
  assert.deepEqual(snapshot(dir), state);
});

test('the manifest check names a cycle and says how fix treats it', () => {
  const dir = workspace(
    [
      { from: 'training.a', to: 'training.b' },
      { from: 'training.b', to: 'training.a' },
    ],
    { 'q.sql': 'SELECT 1;\n' },
  );
  const r = bqmigrate(['lint'], dir);
  assert.match(r.stderr, /bqmigrate\.json:\d+:\d+: warning: mappings\.0\.to: new name training\.b is itself a legacy name .*rename cycle \(training\.b → training\.a → training\.b\).*--swap-cycles` applies them once \(see line \d+:\d+\)/);
});
