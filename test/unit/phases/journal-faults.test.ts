/**
 * A journal damaged in each documented way, through the real CLI on the local warehouse: `status`, `run`,
 * `run --resume` and `rollback` name the line and the way out, exit non-zero, and change nothing; the way
 * out (`run --abandon-run`) only appends; a torn last line is tolerated and named.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { historyTable } from '../../../src/core/history/table';
import { cli, makeWorkspace, type Workspace } from './helpers';

let ws: Workspace;
let journal: string;
/** The journal of one complete `run --phase datasets`: run-start … run-end, one event per line. */
let complete: string[];

before(async () => {
  ws = await makeWorkspace();
  journal = path.join(ws.dir, '.bqmigrate', 'journal.jsonl');
  const r = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
  assert.equal(r.code, 0, r.err);
  complete = fs.readFileSync(journal, 'utf8').trimEnd().split('\n');
  assert.match(complete[0]!, /"event":"run-start"/);
  assert.match(complete[complete.length - 1]!, /"event":"run-end"/);
});
after(() => ws.cleanup());

const runIdOf = (line: string) => (JSON.parse(line) as { runId: string }).runId;
/** The same run, interrupted: everything but its run-end. */
const interrupted = () => complete.slice(0, -1);

/**
 * Writes the journal as the case has it, and empties the warehouse history, which still holds every
 * event the earlier cases' runs uploaded: the journal written here is then the whole history.
 */
async function write(lines: string[], end = '\n'): Promise<string> {
  const text = lines.join('\n') + end;
  fs.writeFileSync(journal, text);
  const wh = await ws.open();
  try {
    await wh.dropTable(historyTable(ws.load()), { ifExists: true });
  } finally {
    await wh.close();
  }
  return text;
}

const COMMANDS = [['status'], ['run', '--phase', 'datasets', '--yes'], ['run', '--resume', '--yes'], ['rollback', '--phase', 'datasets', '--yes']];

/** Every command refuses naming `journal.jsonl:line` and the way out, and the journal is byte for byte what it was. */
async function refusedEverywhere(text: string, line: number, wayOut: RegExp, reason: RegExp): Promise<void> {
  for (const args of COMMANDS) {
    const r = await cli(ws.dir, args);
    assert.notEqual(r.code, 0, `${args.join(' ')} should fail: ${r.out}`);
    assert.ok(r.err.includes(`journal.jsonl:${line}: `), `${args.join(' ')} names line ${line}: ${r.err}`);
    assert.match(r.err, wayOut, args.join(' '));
    assert.match(r.err, reason, args.join(' '));
    assert.equal(fs.readFileSync(journal, 'utf8'), text, `${args.join(' ')} changed the journal`);
  }
}

/**
 * Takes the way out; the journal only grows; then status is clean (exit 0). An unreadable line stays named as
 * set aside; a readable event that was a problem only while its run was open (`stillNamed` false) is plain history.
 */
async function abandon(id: string, before: string, line: number, stillNamed = true): Promise<void> {
  const r = await cli(ws.dir, ['run', '--abandon-run', id]);
  assert.equal(r.code, 0, r.err);
  const after = fs.readFileSync(journal, 'utf8');
  assert.ok(after.startsWith(before), 'abandoning rewrote history');
  const added = after.slice(before.length).trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; details?: { status?: string; lines?: number[] } });
  assert.equal(added.length, 1);
  assert.ok(added[0]!.details?.lines?.includes(line), JSON.stringify(added[0]));
  const status = await cli(ws.dir, ['status']);
  assert.equal(status.code, 0, status.err);
  if (stillNamed) assert.ok(status.err.includes(`journal.jsonl:${line}: `) && /set aside/.test(status.err), status.err);
  else assert.ok(!status.err.includes(`journal.jsonl:${line}: `), status.err);
}

describe('a damaged journal is reported, with its line and the way out', () => {
  it('a run-start without details: named with the run to abandon, instead of "is a undefined"', async () => {
    const lines = interrupted();
    const start = JSON.parse(lines[0]!) as Record<string, unknown>;
    delete start.details;
    lines[0] = JSON.stringify(start);
    const text = await write(lines);
    const id = runIdOf(lines[0]);
    await refusedEverywhere(text, 1, new RegExp(`--abandon-run ${id}`), /has no "details"/);
    await abandon(id, text, 1, false);
    const resume = await cli(ws.dir, ['run', '--resume', '--yes']);
    assert.equal(resume.code, 1);
    assert.match(resume.err, /no interrupted run to resume/);
    assert.doesNotMatch(resume.err, /undefined/);
  });

  it('a torn run-start with the run\'s events after it: named, instead of "no interrupted run" beside a phase in progress', async () => {
    const lines = interrupted();
    const id = runIdOf(lines[0]!);
    lines[0] = lines[0]!.slice(0, Math.floor(lines[0]!.length / 2));
    const text = await write(lines);
    await refusedEverywhere(text, 1, new RegExp(`--abandon-run ${id}`), /not a complete JSON line/);
    const status = await cli(ws.dir, ['status']);
    assert.ok(status.err.includes('journal.jsonl:2: ') && /no readable run-start/.test(status.err), `the run's first event is named too: ${status.err}`);
    await abandon(id, text, 1);
    const run = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(run.code, 0, `a new run starts once the old one is abandoned: ${run.err}`);
  });

  it('a garbage line between finished runs: named with `--abandon-run line:N`', async () => {
    const text = await write([...complete, 'not json at all \u0000\u00ff', ...complete]);
    await refusedEverywhere(text, complete.length + 1, new RegExp(`--abandon-run line:${complete.length + 1}`), /not a complete JSON line/);
    await abandon(`line:${complete.length + 1}`, text, complete.length + 1);
  });

  it('JSON that is not an event (an unknown kind, no runId): named, not skipped', async () => {
    const text = await write([...complete, '{"ts":"2025-11-14T00:00:00.000Z","runId":"r-x","event":"step-finish"}', '{"ts":"2025-11-14T00:00:00.000Z","event":"step-end"}']);
    await refusedEverywhere(text, complete.length + 1, /--abandon-run line:/, /unknown event "step-finish"/);
    const status = await cli(ws.dir, ['status']);
    assert.ok(status.err.includes(`journal.jsonl:${complete.length + 2}: a step-end event without a "runId"`), status.err);
  });

  it('a torn last line (a crash mid-write) is tolerated and named; the next run ends it and records that', async () => {
    const torn = complete[0]!.slice(0, 40);
    const text = await write([...complete, torn], '');
    const line = complete.length + 1;
    const status = await cli(ws.dir, ['status']);
    assert.equal(status.code, 0, status.err);
    assert.ok(status.err.includes(`journal.jsonl:${line}: an event cut short by a crash`), status.err);
    const resume = await cli(ws.dir, ['run', '--resume', '--yes']);
    assert.equal(resume.code, 1);
    assert.ok(resume.err.includes(`journal.jsonl:${line}: `), `resume names the torn line beside "no interrupted run": ${resume.err}`);
    assert.equal(fs.readFileSync(journal, 'utf8'), text);
    const run = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(run.code, 0, run.err);
    const after = fs.readFileSync(journal, 'utf8');
    assert.ok(after.startsWith(`${text}\n`), 'the torn line is kept and ended, not rewritten');
    const repair = JSON.parse(after.slice(text.length + 1).split('\n')[0]!) as { event: string; details: { lines: number[] } };
    assert.deepEqual([repair.event, repair.details.lines], ['journal-repair', [line]]);
    const again = await cli(ws.dir, ['status']);
    assert.equal(again.code, 0, again.err);
    assert.ok(again.err.includes(`journal.jsonl:${line}: `) && /set aside/.test(again.err), again.err);
  });

  it('--abandon-run refuses a run that is not open or not there, and goes alone', async () => {
    const text = await write(complete);
    const ended = await cli(ws.dir, ['run', '--abandon-run', runIdOf(complete[0]!)]);
    assert.equal(ended.code, 1);
    assert.match(ended.err, /already ended \(ok\); nothing to abandon/);
    const unknown = await cli(ws.dir, ['run', '--abandon-run', 'run-nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /there is no run run-nope/);
    const clean = await cli(ws.dir, ['run', '--abandon-run', 'line:2']);
    assert.equal(clean.code, 1);
    assert.match(clean.err, /journal\.jsonl:2 is not an unusable line/);
    assert.equal(fs.readFileSync(journal, 'utf8'), text);
    const mixed = await cli(ws.dir, ['run', '--abandon-run', 'x', '--all']);
    assert.equal(mixed.code, 2);
    assert.match(mixed.err, /--abandon-run goes alone/);
  });

  it('an interrupted run can be given up: the journal no longer shows it open', async () => {
    const lines = interrupted();
    const text = await write(lines);
    const id = runIdOf(lines[0]!);
    assert.match((await cli(ws.dir, ['status'])).out, new RegExp(`run ${id} was interrupted`));
    const r = await cli(ws.dir, ['run', '--abandon-run', id]);
    assert.equal(r.code, 0, r.err);
    assert.ok(fs.readFileSync(journal, 'utf8').startsWith(text));
    assert.doesNotMatch((await cli(ws.dir, ['status'])).out, /was interrupted/);
    assert.match((await cli(ws.dir, ['run', '--resume', '--yes'])).err, /no interrupted run to resume/);
  });
});
