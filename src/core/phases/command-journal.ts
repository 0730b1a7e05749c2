/**
 * Journals a stand-alone warehouse command's events (check-access, export, from the CLI or the
 * editor) in `.bqmigrate/journal.jsonl`, the file the phases write: one run id per command, no
 * phase (so phase status and resume ignore them).
 */
import type { WarehouseEvent } from '../inventory/index';
import { JournalWriter, newRunId } from './journal';

export interface CommandJournal {
  runId: string;
  record(e: WarehouseEvent): void;
  close(): void;
}

export async function openCommandJournal(manifestDir: string, command: string): Promise<CommandJournal> {
  const writer = new JournalWriter(manifestDir);
  const runId = newRunId();
  return {
    runId,
    record: (e) => void writer.append({ runId, ...e, details: { ...e.details, command } }),
    close: () => writer.close(),
  };
}
