/**
 * Shapes shared by the inventory, the access check and the exports. Events go
 * to an `onEvent` callback in the phases' journal shape (the journal writer adds ts,
 * runId, phase and step), so a step can record them as they happen.
 */
import type { JournalEvent } from '../phases/types';

export type WarehouseEvent = Pick<JournalEvent, 'event' | 'action' | 'jobIds' | 'rows' | 'bytes' | 'error' | 'details'>;

export interface OperationOptions {
  signal?: AbortSignal;
  onEvent?(e: WarehouseEvent): void;
  /** Progress lines for a person (CLI stderr, the editor's progress notification). */
  onProgress?(message: string): void;
}
