/**
 * Which kind a `mappings` entry is, without zod: the lint worker's bundle reads mappings through these
 * and must not pull in the schema. A mapping's index in `mappings` identifies it everywhere.
 */
import type { ColumnMapping, ManifestMapping, Mapping } from './schema';

/** The source columns of a column mapping, in the listed order. */
export function columnSources(m: Pick<ColumnMapping, 'from'>): string[] {
  return typeof m.from === 'string' ? [m.from] : m.from;
}

export const isColumnMapping = (m: ManifestMapping | undefined): m is ColumnMapping => m?.kind === 'column';
/** The entry at `index` when it is a table or path mapping (what table resolution and the phases deal in). */
export const isTableOrPathMapping = (m: ManifestMapping | undefined): m is Mapping => m !== undefined && m.kind !== 'column';
/** The table and path mappings with their index in `mappings` (the index identifies a mapping everywhere). */
export function tableAndPathMappings(m: { mappings: readonly ManifestMapping[] }): { mapping: Mapping; index: number }[] {
  const out: { mapping: Mapping; index: number }[] = [];
  m.mappings.forEach((mapping, index) => {
    if (isTableOrPathMapping(mapping)) out.push({ mapping, index });
  });
  return out;
}
/** `mappings[index]` when it is a table or path mapping; undefined for a column mapping or no entry. */
export const tableMappingAt = (m: { mappings: readonly ManifestMapping[] }, index: number): Mapping | undefined => {
  const entry = m.mappings[index];
  return isTableOrPathMapping(entry) ? entry : undefined;
};
