/**
 * A `lint --cache` whose walk yields the run memo's files in the memo's order, with a few files changed,
 * added or removed, and perhaps other files or folders left out (cli/lint-run-memo.ts `splice`), on the
 * built binary: it lints only the changed and new files and prints the memo's output with their parts put
 * in, the removed ones' taken out and what follows the parts written anew — exactly what an uncached run
 * prints (stdout, stderr, exit code), without reading the lint cache — and keeps a memo that the next run
 * replays. Where it cannot (a damaged memo) the run lints as usual and its output is still an uncached
 * run's.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce, type CliRun } from './cli-helpers';
import { assertCachedIsPlain, BASE, cacheOf, damageBehindTheMemo, memoOf, PINNED, workspace } from './run-memo-helpers';

before(() => buildOnce());

const LEGACY = 'SELECT * FROM models_v4.production_training_data_1m;\n';
const MISNAMED = 'SELECT * FROM training.zl_training_nightly_x_1m;\n';

/**
 * A cached run after `edit`: an uncached run's output, and proof that the lint cache was not read — it is
 * damaged behind the memo (same size, inode and mtime), so a run that read it would say so.
 */
function assertSpliced(dir: string, args: string[], label: string, edit: () => void): CliRun {
  // The memo is kept beside the cache as it is now, pinned (a run that reads it changes nothing in it).
  fs.utimesSync(cacheOf(dir), PINNED, PINNED);
  bqmigrate([...BASE, ...args, '--cache'], dir);
  damageBehindTheMemo(dir);
  edit();
  const r = assertCachedIsPlain(dir, args, label);
  assert.doesNotMatch(r.stderr, /lint cache/, `${label}: the lint cache was not read`);
  // The memo written by the spliced run is replayed as it is by the next one.
  const again = assertCachedIsPlain(dir, args, `${label}, then nothing changed`);
  assert.doesNotMatch(again.stderr, /lint cache/, `${label}: replayed`);
  return r;
}

/** The first file in the walk's order, as ESLint JSON lists it: its part is written without the comma before it. */
function firstListed(dir: string): string {
  const out = JSON.parse(bqmigrate([...BASE, '--format', 'json'], dir).stdout) as { filePath: string }[];
  return out[0]!.filePath;
}

for (const args of [['--format', 'json'], ['--format', 'stylish'], ['--format', 'stylish', '--report-unscanned'], ['--format', 'sarif'], ['--format', 'json', '--max-warnings', '1']]) {
  test(`${args.join(' ')}: files edited in place are linted alone and put into the last output`, () => {
    const dir = workspace();
    const gen = path.join(dir, 'gen');
    assertCachedIsPlain(dir, args, 'filled');
    // A finding more: the counts, the summary and the exit code follow.
    assertSpliced(dir, args, 'a reference added', () => fs.writeFileSync(path.join(gen, 'q1.sql'), LEGACY));
    assertSpliced(dir, args, 'a reference removed', () => fs.writeFileSync(path.join(gen, 'q0.sql'), 'SELECT 0;\n'));
    assertSpliced(dir, args, 'two files at once', () => {
      fs.writeFileSync(path.join(gen, 'q4.sql'), MISNAMED);
      fs.writeFileSync(path.join(gen, 'q7.sql'), `${LEGACY}${MISNAMED}`);
    });
    const first = firstListed(dir);
    assertSpliced(dir, args, `the first file (${path.basename(first)})`, () => fs.appendFileSync(first, `\n-- ${LEGACY}`));
    assertSpliced(dir, args, 'a file touched, the same bytes', () => fs.utimesSync(path.join(gen, 'q2.sql'), new Date(), new Date(Date.now() + 5000)));
    assertSpliced(dir, args, 'every finding of three files gone', () => {
      for (const q of ['q1', 'q4', 'q7']) fs.writeFileSync(path.join(gen, `${q}.sql`), 'SELECT 1;\n');
    });
  });

  test(`${args.join(' ')}: files added and removed are put in and taken out, with the number of files linted`, () => {
    const dir = workspace();
    const gen = path.join(dir, 'gen');
    assertCachedIsPlain(dir, args, 'filled');
    assertSpliced(dir, args, 'a file added', () => fs.writeFileSync(path.join(gen, 'q10b.sql'), LEGACY));
    assertSpliced(dir, args, 'a file removed', () => fs.rmSync(path.join(gen, 'q3.sql')));
    assertSpliced(dir, args, 'a file renamed', () => fs.renameSync(path.join(gen, 'q6.sql'), path.join(gen, 'r6.sql')));
    assertSpliced(dir, args, 'a folder of files added, one edited', () => {
      fs.mkdirSync(path.join(gen, 'sub'));
      fs.writeFileSync(path.join(gen, 'sub', 'a.sql'), MISNAMED);
      fs.writeFileSync(path.join(gen, 'sub', 'b.sql'), 'SELECT 2;\n');
      fs.appendFileSync(path.join(gen, 'q8.sql'), LEGACY);
    });
    const first = firstListed(dir);
    // '!' sorts before any other name in the first file's folder: the new file is the first in walk order.
    assertSpliced(dir, args, 'a file before the first', () => fs.writeFileSync(path.join(path.dirname(first), '!first.sql'), LEGACY));
    assertSpliced(dir, args, 'the first file removed', () => fs.rmSync(path.join(path.dirname(first), '!first.sql')));
    assertSpliced(dir, args, 'the folder removed, a file added at the end', () => {
      fs.rmSync(path.join(gen, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(gen, 'zz.sql'), MISNAMED);
    });
  });
}

test('the exit code and --max-warnings follow the changed counts', () => {
  const dir = workspace();
  const gen = path.join(dir, 'gen');
  for (const f of fs.readdirSync(gen)) if (f !== 'nul.sql') fs.writeFileSync(path.join(gen, f), 'SELECT 1;\n');
  for (const d of ['queries', 'pipelines', 'docs']) fs.rmSync(path.join(dir, d), { recursive: true });
  const args = ['--format', 'json', '--max-warnings', '0'];
  const clean = assertCachedIsPlain(dir, args, 'clean');
  assert.equal(clean.code, 0);
  const warned = assertSpliced(dir, args, 'a warning over --max-warnings 0', () => fs.writeFileSync(path.join(gen, 'q3.sql'), MISNAMED));
  assert.equal(warned.code, 1);
  assert.match(warned.stderr, /more than --max-warnings 0/);
  const error = assertSpliced(dir, args, 'an error', () => fs.writeFileSync(path.join(gen, 'q3.sql'), LEGACY));
  assert.equal(error.code, 1);
  assert.doesNotMatch(error.stderr, /--max-warnings/);
  assert.equal(assertSpliced(dir, args, 'clean again', () => fs.writeFileSync(path.join(gen, 'q3.sql'), 'SELECT 3;\n')).code, 0);
});

for (const args of [['--format', 'json'], ['--format', 'stylish'], ['--format', 'stylish', '--report-unscanned'], ['--format', 'sarif']]) {
  test(`${args.join(' ')}: files not read (binary, over the size limit) and files left out come and go: their notes, the list and the line of what was not read follow`, () => {
    const dir = workspace();
    const gen = path.join(dir, 'gen');
    assertCachedIsPlain(dir, args, 'filled');
    assertSpliced(dir, args, 'a file turned binary', () => fs.writeFileSync(path.join(gen, 'q5.sql'), 'SELECT 5\0;\n'));
    assertSpliced(dir, args, 'a binary file turned text', () => fs.writeFileSync(path.join(gen, 'q5.sql'), LEGACY));
    assertSpliced(dir, args, 'a file grown over the size limit', () => fs.writeFileSync(path.join(gen, 'q6.sql'), `-- ${'x'.repeat(3000)}\n`));
    assertSpliced(dir, args, 'a file back under it', () => fs.writeFileSync(path.join(gen, 'q6.sql'), MISNAMED));
    assertSpliced(dir, args, 'a binary file added', () => fs.writeFileSync(path.join(gen, 'bin.sql'), 'SELECT 9\0;\n'));
    assertSpliced(dir, args, 'binary files removed (every file not read)', () => {
      fs.rmSync(path.join(gen, 'bin.sql'));
      fs.rmSync(path.join(gen, 'nul.sql'));
    });
    assertSpliced(dir, args, 'a .gitignore added: a file left out, the .gitignore linted', () => {
      fs.writeFileSync(path.join(gen, '.gitignore'), '*.log\nignored/\n');
      fs.writeFileSync(path.join(gen, 'run.log'), LEGACY);
    });
    assertSpliced(dir, args, 'a folder left out added, a file left out removed', () => {
      fs.mkdirSync(path.join(gen, 'ignored'));
      fs.writeFileSync(path.join(gen, 'ignored', 'x.sql'), LEGACY);
      fs.rmSync(path.join(gen, 'run.log'));
    });
    assertSpliced(dir, args, 'every file in the walk but one gone', () => {
      for (const d of ['queries', 'pipelines', 'docs']) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
      for (const f of fs.readdirSync(gen)) if (f !== 'q1.sql' && f !== 'ignored') fs.rmSync(path.join(gen, f), { recursive: true });
    });
  });
}

test('random edits, new files and removals, run after run: every cached run prints what an uncached run prints', () => {
  const dir = workspace();
  const gen = path.join(dir, 'gen');
  const files = fs.readdirSync(gen).filter((f) => f !== 'nul.sql').map((f) => path.join(gen, f));
  files.push(path.join(dir, 'queries', 'daily.sql'), path.join(dir, 'pipelines', 'train.py'));
  let seed = 0x2545f491;
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const edits = [
    (f: string) => fs.appendFileSync(f, f.endsWith('.py') ? `\nq = "${LEGACY.trim()}"\n` : LEGACY),
    (f: string) => fs.appendFileSync(f, f.endsWith('.py') ? `\nq = "${MISNAMED.trim()}"\n` : MISNAMED),
    (f: string) => fs.writeFileSync(f, f.endsWith('.py') ? 'x = 1\n' : 'SELECT 1;\n'),
    (f: string) => fs.writeFileSync(f, ''),
    (f: string) => fs.existsSync(f) && fs.utimesSync(f, new Date(), new Date(Date.now() + 1000 * (1 + random(1000)))),
    (f: string) => fs.rmSync(f, { force: true }), // gone; written again (new) by a later edit
    (f: string) => fs.writeFileSync(`${f}.new.sql`, LEGACY),
  ];
  for (let round = 0; round < 8; round++) {
    const args = ['--format', ['json', 'stylish', 'sarif'][round % 3]!];
    assertCachedIsPlain(dir, args, `round ${round}: before`);
    for (let n = 1 + random(3); n > 0; n--) edits[random(edits.length)]!(files[random(files.length)]!);
    assertCachedIsPlain(dir, args, `round ${round}: after the edits`);
  }
});

test('a run memo whose parts are damaged: said, and the run lints as usual', () => {
  const dir = workspace();
  const args = ['--format', 'json'];
  const plain = assertCachedIsPlain(dir, args, 'filled');
  const memo = fs.readFileSync(memoOf(dir));
  // The parts follow the paths and identities (run-memo.ts): damage the last byte before the output.
  // The header's length is the u32 before it, after the magic line, the key and three SHA-1s (run-memo.ts).
  const headerAt = memo.indexOf('\n') + 1 + 32 + 3 * 20;
  const header = JSON.parse(memo.toString('utf8', headerAt + 4, headerAt + 4 + memo.readUInt32LE(headerAt))) as { stdout: number; stderr: number; pieces: number };
  assert.ok(header.pieces > 0, 'the memo keeps where each part is');
  const at = memo.length - header.stdout - header.stderr - 1;
  memo[at] = memo[at]! ^ 0xff;
  fs.writeFileSync(memoOf(dir), memo);
  fs.appendFileSync(path.join(dir, 'gen', 'q1.sql'), MISNAMED);
  const r = bqmigrate([...BASE, ...args, '--cache'], dir);
  assert.match(r.stderr, /lintcache\.run: its checksum does not match: discarded/);
  assert.equal(r.stdout, bqmigrate([...BASE, ...args], dir).stdout);
  assert.notEqual(r.stdout, plain.stdout);
  assertCachedIsPlain(dir, args, 'written anew');
});
