#!/usr/bin/env node
// `npm run demo`: rehearses the seeds' migration end to end on a copy of examples/cbi-warehouse
// and the embedded local warehouse — no GCP account needed. Safe to re-run: the copy is fresh each time.
//   local seed → lint (legacy references) → plan → run --all --yes → validate → status → fix --dry-run → fix → lint
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'bqmigrate.js');
const example = path.join(root, 'examples', 'cbi-warehouse');
const keep = process.argv.includes('--keep');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (color ? `\x1b[2m${s}\x1b[0m` : s);
const env = { ...process.env, METADATA_SERVER_DETECTION: 'none', NO_COLOR: color ? '' : '1' };
delete env.GOOGLE_APPLICATION_CREDENTIALS;

if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.error('dist/cli.js is missing: run `npm run build` (npm ci does it through `prepare`).');
  process.exit(2);
}
const work = mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-demo-'));
cpSync(example, path.join(work, 'cbi-warehouse'), { recursive: true, filter: (src) => !src.includes(`${path.sep}.bqmigrate`) });
const cwd = path.join(work, 'cbi-warehouse');

const available = new Set(
  (spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', env }).stdout.match(/^ {2}(\S+)/gm) ?? []).map((s) => s.trim()),
);

let step = 0;
const failures = [];
/** Runs one CLI command under a heading; `expect` lists the exit codes that are fine for this step. */
function section(title, args, { expect = [0], maxLines = Infinity, why } = {}) {
  step++;
  console.log(`\n${bold(`━━ ${step}. ${title}`)}`);
  if (why) console.log(dim(why));
  if (!available.has(args[0])) {
    console.log(bold(`✗ this build has no \`bqmigrate ${args[0]}\` command (run \`npm run build\`)`));
    failures.push(`${title}: no \`${args[0]}\` command`);
    return undefined;
  }
  console.log(dim(`$ bqmigrate ${args.join(' ')}`));
  // The time-out catches a hang, not slowness: a loaded 2-core machine needed over 3 min for `run --all`.
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
  const lines = `${r.stdout}${r.stderr}`.trimEnd().split('\n');
  console.log(lines.slice(0, maxLines).join('\n'));
  if (lines.length > maxLines) console.log(dim(`… ${lines.length - maxLines} more lines (run it yourself in ${cwd})`));
  if (!expect.includes(r.status)) {
    failures.push(`${title}: ${r.status === null ? `killed (${r.signal}${r.error ? `, ${r.error.message}` : ''})` : `exit ${r.status}`}`);
    console.log(bold(`✗ exit ${r.status}`));
  }
  return r;
}

console.log(bold('bqmigrate demo — the CBI-V14 warehouse rebuild, rehearsed on the local warehouse'));
console.log(dim(`workspace: ${cwd}`));

section('Load the sample legacy warehouse', ['local', 'seed'], { why: 'models_v4.production_training_data_{1w,1m,3m,6m,12m}, the five regime tables, raw price tables — shaped like the seeds.' });
section('Lint: legacy references in the code', ['lint'], { expect: [0, 1], maxLines: 25, why: 'Every reference to a legacy table or parquet name, with the new name it maps to.' });
section('Plan the archive phase: the exact SQL', ['plan', '--phase', 'archive'], { maxLines: 30, why: 'Nothing runs: each action with the statements it will execute (on BigQuery also the dry-run bytes).' });
section('Plan the shim phase', ['plan', '--phase', 'shims'], { maxLines: 14, why: 'Destructive: a legacy table is replaced by a view only once its archive copy has the same row count.' });
section('Run every phase', ['run', '--all', '--yes'], { why: 'Journaled in .bqmigrate/journal.jsonl; interrupted runs continue with `bqmigrate run --resume`.' });
section('Validate the migration', ['validate'], { why: 'Row counts, date ranges, schemas across the five horizons, archive copies, the manifest\'s SQL checks.' });
section('Phase status (from the journal)', ['status']);
section('Fix the code: preview', ['fix', '--dry-run'], { expect: [0, 1], maxLines: 40 });
section('Fix the code', ['fix'], { expect: [0, 1], maxLines: 15 });
section('Lint again: clean', ['lint'], { expect: [0], maxLines: 25 });

console.log(`\n${bold(failures.length ? `demo finished with ${failures.length} problem(s):` : 'demo finished: the migration was rehearsed end to end.')}`);
for (const f of failures) console.log(`  ✗ ${f}`);
if (keep) console.log(dim(`kept ${cwd}`));
else rmSync(work, { recursive: true, force: true });
process.exit(failures.length ? 1 : 0);
