/**
 * The run journal, `<manifest dir>/.bqmigrate/journal.jsonl`: one JSON event per line,
 * appended and fsynced before the work it describes is considered done, so a
 * `kill -9` at any instant leaves a journal that resume can trust.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendAll } from '../arrays';
import type { JournalEvent, JournalEventKind } from './types';

export const STATE_DIR = '.bqmigrate';
export const JOURNAL_FILE = 'journal.jsonl';

export function stateDir(manifestDir: string): string {
  return path.join(manifestDir, STATE_DIR);
}

export function journalPath(manifestDir: string): string {
  return path.join(stateDir(manifestDir), JOURNAL_FILE);
}

/** A journal line that cannot be used as it stands. */
export interface JournalProblem {
  /** 1-based line in journal.jsonl. */
  line: number;
  /** The line's start, for the message (at most 80 characters). */
  excerpt: string;
  reason: string;
  /** The run the line belongs to, when it can be read (from a torn line's text too). */
  runId?: string;
  /** The file's last line, cut short by a crash mid-write: tolerated (nothing after it depends on it), still reported. */
  torn?: boolean;
  /** A later `journal-repair` or abandoned `run-end` event set this line aside: reported, no longer in the way. */
  setAside?: boolean;
}

export interface JournalReading {
  file: string;
  /** The usable events, in order. */
  events: JournalEvent[];
  /** Every line that is not a usable event, and every open run the journal cannot continue; in line order. */
  problems: JournalProblem[];
}

const EVENT_KINDS: ReadonlySet<string> = new Set<JournalEventKind>(['run-start', 'run-end', 'step-start', 'step-end', 'step-error', 'action-start', 'action-end', 'action-error', 'action-note', 'rollback-start', 'rollback-end', 'journal-repair', 'reconcile', 'unlock']);
const RUN_ID_IN_TEXT = /"runId"\s*:\s*"([^"\\]+)"/;

function excerptOf(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Why a parsed line is not an event, or undefined when it is one. */
function eventDefect(e: unknown): string | undefined {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'not a JSON object';
  const o = e as Record<string, unknown>;
  if (typeof o.event !== 'string') return 'no "event" field';
  if (!EVENT_KINDS.has(o.event)) return `unknown event "${o.event}"`;
  if (typeof o.runId !== 'string' || o.runId === '') return `a ${o.event} event without a "runId"`;
  if (typeof o.ts !== 'string' || Number.isNaN(Date.parse(o.ts))) return `a ${o.event} event without a valid "ts" timestamp`;
  return undefined;
}

/** What a run-start lacks for resume (`details.kind`, `details.phases`, `details.backend`), or undefined. */
function runStartDefect(e: JournalEvent): string | undefined {
  const d = e.details;
  if (!d || typeof d !== 'object') return `the run-start of run ${e.runId} has no "details" (kind, phases, backend)`;
  const missing = [d.kind === 'run' || d.kind === 'rollback' ? '' : 'kind ("run" or "rollback")', Array.isArray(d.phases) && d.phases.every((p) => typeof p === 'string') ? '' : 'phases (a list of phase ids)', typeof d.backend === 'string' ? '' : 'backend'].filter(Boolean);
  return missing.length ? `the run-start of run ${e.runId} lacks details.${missing.join(', details.')}` : undefined;
}

/**
 * Reads the journal and says what in it cannot be used: lines that are not JSON or not events, and runs
 * that are open (no run-end) but cannot be continued — a run-start without its details, or phase events
 * whose run-start is missing. A torn last line is the normal trace of a crash mid-write and is marked `torn`.
 */
export function inspectJournal(manifestDir: string): JournalReading {
  const file = journalPath(manifestDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { file, events: [], problems: [] };
  }
  const events: JournalEvent[] = [];
  const lineOf = new Map<JournalEvent, number>();
  const problems: JournalProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    let reason: string | undefined;
    try {
      parsed = JSON.parse(line);
      reason = eventDefect(parsed);
    } catch {
      reason = 'not a complete JSON line';
    }
    if (reason === undefined) {
      // A line written before events carried ids gets one from its text: the same on every reading and every machine.
      if (typeof (parsed as JournalEvent).id !== 'string') (parsed as JournalEvent).id = `h${createHash('sha256').update(line).digest('hex').slice(0, 31)}`;
      events.push(parsed as JournalEvent);
      lineOf.set(parsed as JournalEvent, i + 1);
      return;
    }
    const runId = typeof (parsed as { runId?: unknown } | undefined)?.runId === 'string' ? (parsed as { runId: string }).runId : RUN_ID_IN_TEXT.exec(line)?.[1];
    // The last line without its newline, unparsable: a write cut short by a crash.
    const torn = i === lines.length - 1 && parsed === undefined;
    problems.push({ line: i + 1, excerpt: excerptOf(line), reason: torn ? 'an event cut short by a crash (the last line has no end)' : reason, ...(runId ? { runId } : {}), ...(torn ? { torn } : {}) });
  });

  const ended = new Set(events.filter((e) => e.event === 'run-end').map((e) => e.runId));
  const started = new Set<string>();
  const reported = new Set<string>();
  for (const e of events) {
    if (ended.has(e.runId)) continue;
    if (e.event === 'run-start') {
      started.add(e.runId);
      const defect = runStartDefect(e);
      if (defect) problems.push({ line: lineOf.get(e)!, excerpt: excerptOf(JSON.stringify(e)), reason: defect, runId: e.runId });
    } else if (e.phase !== undefined && !started.has(e.runId) && !reported.has(e.runId)) {
      reported.add(e.runId);
      problems.push({ line: lineOf.get(e)!, excerpt: excerptOf(JSON.stringify(e)), reason: `run ${e.runId} has events from this line on but no readable run-start before them, so it can be neither resumed nor ended`, runId: e.runId });
    }
  }

  const setAside = new Set<number>();
  for (const e of events) {
    const repaired = (e.event === 'journal-repair' || (e.event === 'run-end' && e.details?.status === 'abandoned')) && Array.isArray(e.details?.lines) ? (e.details.lines as unknown[]) : [];
    for (const n of repaired) if (typeof n === 'number') setAside.add(n);
  }
  for (const p of problems) if (setAside.has(p.line)) p.setAside = true;
  problems.sort((a, b) => a.line - b.line);
  sortByTime(events);
  return { file, events, problems };
}

/**
 * Events in time order. One writer appends in order, so this changes nothing there; events adopted
 * from the warehouse history (another machine's run) land after newer local lines and move back
 * into place. Stable: events of one millisecond keep their journal order.
 */
export function sortByTime(events: JournalEvent[]): void {
  let ordered = true;
  for (let i = 1; i < events.length && ordered; i++) if (events[i - 1]!.ts > events[i]!.ts) ordered = false;
  if (!ordered) events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

/** Every usable event in the journal (what status, resume and the checks read); `inspectJournal` also says what it could not use. */
export function readJournal(manifestDir: string): JournalEvent[] {
  return inspectJournal(manifestDir).events;
}

export class JournalWriter {
  private fd: number | undefined;
  private readonly events: JournalEvent[];
  readonly file: string;

  constructor(manifestDir: string, private readonly onAppend?: (e: JournalEvent, seq: number) => void) {
    fs.mkdirSync(stateDir(manifestDir), { recursive: true });
    this.file = journalPath(manifestDir);
    const reading = inspectJournal(manifestDir);
    this.events = reading.events;
    this.torn = reading.problems.find((p) => p.torn && !p.setAside);
    // A torn last line must not glue itself to the next event: the first append ends it.
    try {
      const size = fs.statSync(this.file).size;
      if (size > 0) {
        const fd = fs.openSync(this.file, 'r');
        const buf = Buffer.alloc(1);
        fs.readSync(fd, buf, 0, 1, size - 1);
        fs.closeSync(fd);
        this.unterminated = buf[0] !== 0x0a;
      }
    } catch {
      // no journal yet
    }
  }

  private unterminated = false;

  /** The torn last line this writer ends with its first event, recorded by a `journal-repair` event so later reads set it aside. */
  private torn: JournalProblem | undefined;

  /** Appends one event and fsyncs it before returning. */
  append(event: Omit<JournalEvent, 'ts'> & { ts?: string }): JournalEvent {
    const full = { id: randomUUID(), ts: new Date().toISOString(), ...event } as JournalEvent;
    const fd = this.open(full);
    fs.writeSync(fd, JSON.stringify(full) + '\n');
    fs.fsyncSync(fd);
    this.events.push(full);
    this.onAppend?.(full, this.events.length - 1);
    return full;
  }

  /**
   * Writes events another machine journaled (read from the warehouse history) as they are, ids and
   * timestamps kept, fsynced once: the local journal then holds the whole history again. Not
   * passed to `onAppend`: they are in the warehouse already.
   */
  adopt(events: readonly JournalEvent[]): void {
    if (events.length === 0) return;
    const fd = this.open(events[0]!);
    fs.writeSync(fd, events.map((e) => JSON.stringify(e) + '\n').join(''));
    fs.fsyncSync(fd);
    appendAll(this.events, events);
    sortByTime(this.events);
  }

  /** The file, open for appending, its torn last line ended and recorded (a `journal-repair` event) before `next` is written. */
  private open(next: JournalEvent): number {
    if (this.fd === undefined) this.fd = fs.openSync(this.file, 'a');
    if (this.unterminated) {
      fs.writeSync(this.fd, '\n');
      this.unterminated = false;
    }
    if (this.torn) {
      const repair: JournalEvent = { id: randomUUID(), ts: next.ts, runId: this.torn.runId ?? next.runId, event: 'journal-repair', details: { lines: [this.torn.line], reason: this.torn.reason } };
      this.torn = undefined;
      fs.writeSync(this.fd, JSON.stringify(repair) + '\n');
      this.events.push(repair);
      this.onAppend?.(repair, this.events.length - 1);
    }
    return this.fd;
  }

  history(): readonly JournalEvent[] {
    return this.events;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The last run that started and never reached `run-end` with status ok or abandoned (what `--resume` continues). */
export function unfinishedRun(events: readonly JournalEvent[]): JournalEvent | undefined {
  const ended = new Map<string, string>();
  for (const e of events) if (e.event === 'run-end') ended.set(e.runId, String(e.details?.status ?? 'ok'));
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.event !== 'run-start') continue;
    const status = ended.get(e.runId);
    return status === undefined || (status !== 'ok' && status !== 'abandoned') ? e : undefined;
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
