/**
 * Journals an editor warehouse command's events in `.bqmigrate/journal.jsonl`, the file the
 * phases write: one run id per command, no phase (so phase status and resume ignore them).
 */
import type { WarehouseEvent } from '../../core/inventory/index';

export interface CommandJournal {
  runId: string;
  record(e: WarehouseEvent): void;
  close(): void;
}

export async function openCommandJournal(manifestDir: string, command: string): Promise<CommandJournal> {
  const { JournalWriter, newRunId } = await import('../../core/phases/journal.js');
  const writer = new JournalWriter(manifestDir);
  const runId = newRunId();
  return {
    runId,
    record: (e) => void writer.append({ runId, ...e, details: { ...e.details, command } }),
    close: () => writer.close(),
  };
}
