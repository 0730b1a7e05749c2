/**
 * BigQuery's naming and label rules as the fake enforces them on datasets.insert, tables.insert
 * and tables.patch (400 invalid, BigQuery's wording), written from the documentation on their
 * own, not shared with the client, so a misunderstanding in the client's rules shows up here:
 * - dataset ids: letters, digits, underscores, at most 1,024 characters;
 * - table ids: Unicode letters, marks, numbers, connectors, dashes and spaces, at most 1,024 bytes;
 * - labels: at most 64; keys and values at most 63 characters of lowercase letters, international
 *   characters, digits, "_" and "-"; keys start with a lowercase or international letter.
 */
import { ApiFailure } from './engine';

export function requireDatasetId(id: string): void {
  if (!/^[A-Za-z0-9_]{1,1024}$/.test(id)) throw new ApiFailure(400, 'invalid', `Invalid dataset ID "${id}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`);
}

export function requireTableId(id: string): void {
  if (!/^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+$/u.test(id) || Buffer.byteLength(id) > 1024) {
    throw new ApiFailure(400, 'invalid', `Invalid table ID "${id}". Table IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long. Also, Table decorators cannot be used.`);
  }
}

export function requireLabels(labels: unknown): void {
  if (!labels || typeof labels !== 'object') return;
  const entries = Object.entries(labels as Record<string, unknown>).filter(([, v]) => v !== null);
  if (entries.length > 64) throw new ApiFailure(400, 'invalid', `Too many labels: ${entries.length}. At most 64 labels are allowed.`);
  for (const [key, value] of entries) {
    if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Nd}_-]{0,62}$/u.test(key)) {
      throw new ApiFailure(400, 'invalid', `Invalid label key: "${key}". Label keys must be 1-63 characters long, start with a lowercase letter or international character, and contain only lowercase letters, numeric characters, underscores, dashes, and international characters.`);
    }
    if (!/^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Nd}_-]{0,63}$/u.test(String(value))) {
      throw new ApiFailure(400, 'invalid', `Invalid label value: "${String(value)}" for key "${key}". Label values must be 0-63 characters long and contain only lowercase letters, numeric characters, underscores, dashes, and international characters.`);
    }
  }
}
