/**
 * The run journal, `<manifest dir>/.bqmigrate/journal.jsonl`: one JSON event per line,
 * appended and fsynced before the work it describes is considered done, so a
 * `kill -9` at any instant leaves a journal that resume can trust.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JournalEvent } from './types';

export const STATE_DIR = '.bqmigrate';
export const JOURNAL_FILE = 'journal.jsonl';

export function stateDir(manifestDir: string): string {
  return path.join(manifestDir, STATE_DIR);
}

export function journalPath(manifestDir: string): string {
  return path.join(stateDir(manifestDir), JOURNAL_FILE);
}

/** Every event in the journal; a torn last line (a crash mid-write) is ignored. */
export function readJournal(manifestDir: string): JournalEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(journalPath(manifestDir), 'utf8');
  } catch {
    return [];
  }
  const events: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as JournalEvent;
      if (e && typeof e === 'object' && typeof e.event === 'string') events.push(e);
    } catch {
      // A line cut short by a crash: the event it started never completed.
    }
  }
  return events;
}

export class JournalWriter {
  private fd: number | undefined;
  private readonly events: JournalEvent[];
  readonly file: string;

  constructor(manifestDir: string, private readonly onAppend?: (e: JournalEvent) => void) {
    fs.mkdirSync(stateDir(manifestDir), { recursive: true });
    this.file = journalPath(manifestDir);
    this.events = readJournal(manifestDir);
    // A torn last line must not glue itself to the next event.
    try {
      const size = fs.statSync(this.file).size;
      if (size > 0) {
        const fd = fs.openSync(this.file, 'r');
        const buf = Buffer.alloc(1);
        fs.readSync(fd, buf, 0, 1, size - 1);
        fs.closeSync(fd);
        if (buf[0] !== 0x0a) fs.appendFileSync(this.file, '\n');
      }
    } catch {
      // no journal yet
    }
  }

  /** Appends one event and fsyncs it before returning. */
  append(event: Omit<JournalEvent, 'ts'> & { ts?: string }): JournalEvent {
    const full = { ts: new Date().toISOString(), ...event } as JournalEvent;
    if (this.fd === undefined) this.fd = fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, JSON.stringify(full) + '\n');
    fs.fsyncSync(this.fd);
    this.events.push(full);
    this.onAppend?.(full);
    return full;
  }

  history(): readonly JournalEvent[] {
    return this.events;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The last run that started and never reached `run-end` with status ok (what `--resume` continues). */
export function unfinishedRun(events: readonly JournalEvent[]): JournalEvent | undefined {
  const ended = new Map<string, string>();
  for (const e of events) if (e.event === 'run-end') ended.set(e.runId, String(e.details?.status ?? 'ok'));
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.event !== 'run-start') continue;
    const status = ended.get(e.runId);
    return status === undefined || status !== 'ok' ? e : undefined;
  }
  return undefined;
}

/** Action ids that finished in `runId` (resume skips them). */
export function finishedActions(events: readonly JournalEvent[], runId: string): Set<string> {
  const done = new Set<string>();
  for (const e of events) if (e.runId === runId && e.event === 'action-end' && e.action) done.add(`${e.phase}/${e.step}/${e.action}`);
  return done;
}

/** Step keys (`phase/step`) that finished in `runId`. */
export function finishedSteps(events: readonly JournalEvent[], runId: string): Set<string> {
  const done = new Set<string>();
  for (const e of events) if (e.runId === runId && e.event === 'step-end') done.add(`${e.phase}/${e.step}`);
  return done;
}

export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(36).slice(2, 6)}`;
}
