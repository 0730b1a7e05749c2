/**
 * After steps succeed, the mappings they completed get their status (and shimmedOn) in
 * bqmigrate.json: comment-preserving edits, written with the one atomic writer.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../fix/write';
import { setMappingField } from '../manifest/edit';

export interface StatusUpdate {
  mappingIndex: number;
  status: string;
  /** YYYY-MM-DD to set, null to remove, undefined to leave as is. */
  shimmedOn?: string | null;
}

export function applyStatusUpdates(file: string, updates: StatusUpdate[]): number {
  if (updates.length === 0) return 0;
  let text = fs.readFileSync(file, 'utf8');
  const before = text;
  for (const u of updates) {
    text = setMappingField(text, u.mappingIndex, 'status', u.status);
    if (u.shimmedOn !== undefined) text = setMappingField(text, u.mappingIndex, 'shimmedOn', u.shimmedOn ?? undefined);
  }
  if (text === before) return 0;
  writeFileAtomic(file, text);
  return updates.length;
}
