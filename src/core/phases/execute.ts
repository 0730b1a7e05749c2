/**
 * Runs planned steps against a warehouse: actions of a step run concurrently up to a limit,
 * every start/end is journaled (fsynced) first, finished actions of a resumed run are skipped,
 * and cancellation stops new work while in-flight jobs get the abort signal.
 */
import { spawn } from 'node:child_process';
import * as diagnostics from 'node:diagnostics_channel';
import type { LoadedManifest } from '../manifest/load';
import type { Warehouse } from '../warehouse/types';
import type { JournalWriter } from './journal';
import type { ActionContext, ActionOutcome, JournalEvent, PlannedStep } from './types';

export interface ExecuteHooks {
  signal?: AbortSignal;
  concurrency?: number;
  log?(line: string): void;
  runCommand?: ActionContext['runCommand'];
}

export interface StepResult {
  phase: string;
  step: string;
  status: 'ok' | 'failed' | 'cancelled' | 'skipped';
  actions: { id: string; status: 'ok' | 'skipped' | 'failed' | 'resumed'; outcome?: ActionOutcome; error?: string }[];
  error?: string;
}

/**
 * Every journal event a run writes is published here once it is fsynced, for anything in the
 * process that observes runs (Node's diagnostics_channel: free when nobody subscribes). The
 * resume tests subscribe from a preloaded module to pause at a chosen event and `kill -9` there.
 */
export const JOURNAL_CHANNEL = 'bqmigrate:journal';
const journalChannel = diagnostics.channel(JOURNAL_CHANNEL);

export function journalAppend(journal: JournalWriter, e: Omit<JournalEvent, 'ts'>): JournalEvent {
  const written = journal.append(e);
  if (journalChannel.hasSubscribers) journalChannel.publish(written);
  return written;
}

export function spawnCommand(log: (line: string) => void): ActionContext['runCommand'] {
  return (command, cwd, signal) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        for (const line of text.split('\n')) if (line.trim()) log(`    │ ${line}`);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const abort = () => child.kill('SIGTERM');
      signal?.addEventListener('abort', abort, { once: true });
      child.on('error', (err) => reject(err));
      child.on('close', (code, sig) => {
        signal?.removeEventListener('abort', abort);
        resolve({ exitCode: code ?? (sig ? 128 : 1), output });
      });
    });
}

export async function executeStep(
  step: PlannedStep,
  env: { wh: Warehouse; loaded: LoadedManifest; runId: string; journal: JournalWriter; done: Set<string> },
  hooks: ExecuteHooks,
): Promise<StepResult> {
  const { wh, loaded, runId, journal, done } = env;
  const log = hooks.log ?? (() => undefined);
  const result: StepResult = { phase: step.phase, step: step.id, status: 'ok', actions: [] };
  journalAppend(journal, { runId, phase: step.phase, step: step.id, event: 'step-start', details: { kind: step.kind, actions: step.actions.length } });
  log(`▶ ${step.phase}/${step.id} — ${step.title} (${step.actions.length} action${step.actions.length === 1 ? '' : 's'})`);
  for (const n of step.notes) log(`    note: ${n}`);
  const limit = step.sequential ? 1 : Math.max(1, hooks.concurrency ?? 4);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < step.actions.length && !failed && !hooks.signal?.aborted) {
      const action = step.actions[next++]!;
      const key = `${step.phase}/${step.id}/${action.id}`;
      if (done.has(key)) {
        result.actions.push({ id: action.id, status: 'resumed' });
        log(`  ✓ ${action.title} (done in the interrupted run)`);
        continue;
      }
      const base = { runId, phase: step.phase, step: step.id, action: action.id };
      journalAppend(journal, { ...base, event: 'action-start' });
      const ctx: ActionContext = {
        wh,
        loaded,
        runId,
        phase: step.phase,
        step: step.id,
        signal: hooks.signal,
        note: (details) => void journalAppend(journal, { ...base, event: 'action-note', details }),
        history: () => journal.history(),
        log,
        runCommand: hooks.runCommand ?? spawnCommand(log),
      };
      const started = Date.now();
      try {
        const outcome = await action.execute(ctx);
        journalAppend(journal, { ...base, event: 'action-end', rows: outcome.rows, bytes: outcome.bytes, jobIds: outcome.jobIds, details: { skipped: !!outcome.skipped, detail: outcome.detail, ms: Date.now() - started } });
        result.actions.push({ id: action.id, status: outcome.skipped ? 'skipped' : 'ok', outcome });
        log(`  ${outcome.skipped ? '=' : '✓'} ${action.title}${outcome.detail ? ` — ${outcome.detail}` : ''}`);
      } catch (err) {
        const message = hooks.signal?.aborted ? 'cancelled' : (err as Error).message;
        if (!hooks.signal?.aborted) failed = true;
        journalAppend(journal, { ...base, event: 'action-error', error: message, details: { ms: Date.now() - started } });
        result.actions.push({ id: action.id, status: 'failed', error: message });
        log(`  ✗ ${action.title} — ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, Math.max(1, step.actions.length)) }, worker));
  const errors = result.actions.filter((a) => a.status === 'failed' && a.error !== 'cancelled');
  if (errors.length) {
    result.status = 'failed';
    result.error = errors.map((e) => `${e.id}: ${e.error}`).join('; ');
    journalAppend(journal, { runId, phase: step.phase, step: step.id, event: 'step-error', error: result.error });
  } else if (hooks.signal?.aborted) {
    result.status = 'cancelled';
  } else {
    const rows = result.actions.reduce((n, a) => n + (a.outcome?.rows ?? 0), 0);
    const bytes = result.actions.reduce((n, a) => n + (a.outcome?.bytes ?? 0), 0);
    journalAppend(journal, { runId, phase: step.phase, step: step.id, event: 'step-end', rows, bytes, details: { actions: result.actions.length, skipped: result.actions.filter((a) => a.status !== 'ok').length } });
  }
  return result;
}
