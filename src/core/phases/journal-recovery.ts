/**
 * What to do about a journal line that cannot be used: the message (file:line, what is wrong, the way
 * out) that `status`, `run`, `run --resume`, `rollback` and the editor all show, the refusal to run on
 * top of it, and `run --abandon-run ID`, which appends the event that gives up a run or sets a line
 * aside. Nothing here rewrites a line: the journal stays append-only.
 */
import { inspectJournal, JournalWriter, type JournalProblem, type JournalReading } from './journal';

/** Problems that stop a run: everything but a torn last line (a crash's trace) and lines already set aside. */
export function blockingProblems(reading: JournalReading): JournalProblem[] {
  return reading.problems.filter((p) => !p.torn && !p.setAside);
}

/** The `--abandon-run` argument that deals with a problem: its run while that run is open, else the line itself. */
export function wayOut(reading: JournalReading, p: JournalProblem): string {
  const open = p.runId !== undefined && !reading.events.some((e) => e.runId === p.runId && e.event === 'run-end');
  return open ? `to give up that run: bqmigrate run --abandon-run ${p.runId}` : `to set the line aside: bqmigrate run --abandon-run line:${p.line}`;
}

/** `file:line: what is wrong ("excerpt"); the way out`. */
export function formatJournalProblem(reading: JournalReading, p: JournalProblem): string {
  const where = `${reading.file}:${p.line}`;
  if (p.setAside) return `${where}: ${p.reason} — set aside, no longer in the way ("${p.excerpt}")`;
  if (p.torn) return `${where}: ${p.reason}; tolerated: the next run or command ends the line and records that it set it aside ("${p.excerpt}")`;
  return `${where}: ${p.reason} ("${p.excerpt}"); ${wayOut(reading, p)}`;
}

/** The journal has lines a run cannot go past; nothing ran. */
export class JournalDamaged extends Error {
  override name = 'JournalDamaged';
  constructor(readonly reading: JournalReading, readonly problems: JournalProblem[]) {
    super(`the journal has ${problems.length} unusable line${problems.length === 1 ? '' : 's'}; nothing ran:\n${problems.map((p) => formatJournalProblem(reading, p)).join('\n')}`);
  }
}

/** Throws JournalDamaged when the journal has blocking problems; returns the reading otherwise. */
export function assertJournalUsable(manifestDir: string): JournalReading {
  const reading = inspectJournal(manifestDir);
  const blocking = blockingProblems(reading);
  if (blocking.length) throw new JournalDamaged(reading, blocking);
  return reading;
}

export interface AbandonResult {
  /** What was appended, in words. */
  message: string;
  /** Lines set aside with it. */
  lines: number[];
}

/**
 * `run --abandon-run ID`: ID is an open run (a run-start without run-end, or events of a run whose run-start
 * is unreadable) — appends its `run-end` with status "abandoned", setting aside its unusable lines — or
 * `line:N`, an unusable line with no open run — appends a `journal-repair` event setting it aside.
 */
export function abandonRun(manifestDir: string, id: string): AbandonResult {
  const reading = inspectJournal(manifestDir);
  const lineArg = /^line:(\d+)$/.exec(id);
  const writer = new JournalWriter(manifestDir);
  try {
    if (lineArg) {
      const line = Number(lineArg[1]);
      const p = reading.problems.find((x) => x.line === line && !x.setAside);
      if (!p) throw new Error(`${reading.file}:${line} is ${line > 0 && reading.problems.some((x) => x.line === line) ? 'already set aside' : 'not an unusable line'}; \`bqmigrate status\` lists the lines that are`);
      writer.append({ runId: p.runId ?? `line-${line}`, event: 'journal-repair', details: { lines: [line], reason: p.reason, by: '--abandon-run' } });
      return { message: `${reading.file}:${line} set aside (${p.reason})`, lines: [line] };
    }
    const end = reading.events.find((e) => e.runId === id && e.event === 'run-end');
    const known = reading.events.some((e) => e.runId === id) || reading.problems.some((p) => p.runId === id);
    if (!known) throw new Error(`there is no run ${id} in ${reading.file}; \`bqmigrate status\` names the open run`);
    if (end) throw new Error(`run ${id} already ended (${String(end.details?.status ?? 'ok')}); nothing to abandon${reading.problems.some((p) => p.runId === id && !p.setAside) ? `; set its unusable lines aside with --abandon-run line:N` : ''}`);
    const lines = reading.problems.filter((p) => p.runId === id && !p.setAside).map((p) => p.line);
    const start = reading.events.find((e) => e.runId === id && e.event === 'run-start');
    const kind = start?.details?.kind === 'rollback' ? 'rollback' : 'run';
    writer.append({ runId: id, event: 'run-end', error: 'abandoned with --abandon-run', details: { kind, status: 'abandoned', lines } });
    return { message: `run ${id} abandoned: the journal no longer shows it open${lines.length ? `; line${lines.length === 1 ? '' : 's'} ${lines.join(', ')} set aside` : ''}`, lines };
  } finally {
    writer.close();
  }
}
