/**
 * What a table's column mappings make of it when it is migrated: the new table's columns (kept,
 * renamed, or several consolidated into one canonical column by their combine rule), the SELECT that
 * builds it, the shim view's SELECT that gives old readers the legacy columns back, and the columns
 * that are no longer there under their old names. Pure: the phases and the validation build their
 * SQL from it, so a plan shows exactly what a run does.
 */
import { ColumnCatalog, columnMappingLabel, tableMappingOf } from '../columns/catalog';
import { MappingResolver } from '../match/resolver';
import { locate, type LoadedManifest } from '../manifest/load';
import { columnSources } from '../manifest/mapping-kinds';
import { LineIndex } from '../text/positions';
import type { ColumnInfo, TableId } from '../warehouse/types';
import { METADATA_COLUMNS, translateForLocal, type SqlTarget } from './sql';
import type { ConcreteMapping } from './types';

/** One column of the new table that a column mapping makes. */
export interface CanonicalColumn {
  mappingIndex: number;
  to: string;
  /** The legacy columns as the table spells them, in the mapping's listed order. */
  sources: string[];
  combine: 'rename' | 'coalesce' | 'sql';
  /** BigQuery SQL over the sources, with combine "sql". */
  expression?: string;
}

export type BuiltColumn = { kind: 'kept'; name: string } | { kind: 'canonical'; column: CanonicalColumn };

export interface ColumnBuild {
  /** The new table's columns, in order: a canonical column takes the place of its first source. */
  columns: BuiltColumn[];
  canonical: CanonicalColumn[];
  /** Legacy column → new column whose description and policy tags it passes on (one source per canonical column). */
  renamed: Record<string, string>;
  /** Legacy columns the new table does not have under their own name, and where their values went. */
  dropped: { column: string; into: string; how: 'renamed' | 'consolidated' }[];
  /** Legacy columns whose metadata no new column carries (the other sources of a consolidation). */
  unmatchedSources: string[];
  /** Column mapping indices that apply. */
  mappingIndices: number[];
  /** What stops the build, each with the manifest position of the mapping: a missing source, a name collision, … */
  problems: string[];
}

const lower = (s: string) => s.toLowerCase();

/** `bqmigrate.json:12:5` for a JSON path of the manifest. */
export function manifestPosition(loaded: LoadedManifest, path: (string | number)[]): string {
  const where = locate(loaded.tree, path);
  const pos = new LineIndex(loaded.text).positionAt(where.keyStart ?? where.start);
  return `${loaded.file}:${pos.line + 1}:${pos.character + 1}`;
}

/**
 * The column mappings of a concrete table mapping, applied to its source's schema (the archive's own
 * columns left out). Undefined when no column mapping names the table under either of its names.
 */
export function columnBuildOf(loaded: LoadedManifest, m: Pick<ConcreteMapping, 'from' | 'to'>, schema: readonly ColumnInfo[], catalog = new ColumnCatalog(loaded.manifest)): ColumnBuild | undefined {
  if (catalog.size === 0) return undefined;
  const renames = [...catalog.forTable(m.from).values(), ...catalog.forTable(m.to).values()];
  if (renames.length === 0) return undefined;
  const byIndex = new Map(renames.map((r) => [r.mappingIndex, r.mapping]));
  const cols = schema.filter((c) => !(METADATA_COLUMNS as readonly string[]).includes(c.name));
  const find = (name: string) => cols.find((c) => lower(c.name) === lower(name));
  const problems: string[] = [];
  const canonical: CanonicalColumn[] = [];
  const sourceOf = new Map<string, CanonicalColumn>();
  for (const [index, mapping] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    const where = `mappings[${index}] (${manifestPosition(loaded, ['mappings', index])})`;
    const listed = columnSources(mapping);
    const missing = listed.filter((s) => !find(s));
    if (missing.length) {
      problems.push(`${where}: ${missing.map((s) => `"${s}"`).join(', ')} ${missing.length === 1 ? 'is not a column' : 'are not columns'} of ${m.from} (its columns: ${cols.map((c) => c.name).join(', ')}); fix "from" or remove the mapping`);
      continue;
    }
    const sources = listed.map((s) => find(s)!.name);
    const c: CanonicalColumn = { mappingIndex: index, to: mapping.to, sources, combine: mapping.combine ?? (sources.length > 1 ? 'coalesce' : 'rename'), ...(mapping.expression ? { expression: mapping.expression } : {}) };
    canonical.push(c);
    for (const s of sources) sourceOf.set(lower(s), c);
    const tags = new Set(sources.map((s) => JSON.stringify([...(find(s)!.policyTags ?? [])].sort())));
    if (tags.size > 1) problems.push(`${where}: ${sources.join(', ')} carry different policy tags; one column "${mapping.to}" cannot keep them all — give the sources the same policy tag first`);
  }
  for (const c of canonical) {
    const clash = cols.find((x) => lower(x.name) === lower(c.to) && sourceOf.get(lower(x.name)) !== c);
    if (clash) problems.push(`mappings[${c.mappingIndex}] (${manifestPosition(loaded, ['mappings', c.mappingIndex, 'to'])}): "to" column "${c.to}" collides with the column ${clash.name} that ${m.from} already has${sourceOf.has(lower(clash.name)) ? ' and another mapping renames' : ''}; choose another name or list ${clash.name} in "from"`);
  }
  const columns: BuiltColumn[] = [];
  const placed = new Set<CanonicalColumn>();
  for (const col of cols) {
    const c = sourceOf.get(lower(col.name));
    if (!c) columns.push({ kind: 'kept', name: col.name });
    else if (!placed.has(c)) {
      placed.add(c);
      columns.push({ kind: 'canonical', column: c });
    }
  }
  const renamed: Record<string, string> = {};
  const unmatchedSources: string[] = [];
  const dropped: ColumnBuild['dropped'] = [];
  for (const c of canonical) {
    // The first source with policy tags (they are all equal, or a problem above), else the first listed, passes its metadata on.
    const heir = c.sources.find((s) => find(s)!.policyTags?.length) ?? c.sources[0]!;
    for (const s of c.sources) {
      if (s === heir) renamed[s] = c.to;
      else unmatchedSources.push(s);
      if (lower(s) !== lower(c.to)) dropped.push({ column: s, into: c.to, how: c.sources.length > 1 ? 'consolidated' : 'renamed' });
    }
  }
  return { columns, canonical, renamed, dropped, unmatchedSources, mappingIndices: canonical.map((c) => c.mappingIndex), problems };
}

/** The canonical value from a source row, in the target's dialect (an expression is BigQuery SQL, translated for DuckDB). */
export function combineExpr(w: SqlTarget, c: CanonicalColumn): string {
  const id = (s: string) => w.dialect.ident(s);
  if (c.combine === 'rename') return id(c.sources[0]!);
  if (c.combine === 'coalesce') return `COALESCE(${c.sources.map(id).join(', ')})`;
  return `(${w.kind === 'local' ? translateForLocal(c.expression ?? '', w.project) : (c.expression ?? '')})`;
}

/** How the manifest says a canonical column is made, for titles and reports: "COALESCE(a, b)", "a", "(a + b) / 2". */
export function combineText(c: CanonicalColumn): string {
  if (c.combine === 'rename') return c.sources[0]!;
  if (c.combine === 'coalesce') return `COALESCE(${c.sources.join(', ')})`;
  return c.expression ?? '';
}

/** The SELECT that builds the new table from `source`: one line per column, canonical columns by their combine rule. */
export function columnBuildSelect(w: SqlTarget, b: ColumnBuild, source: TableId, filter?: string): string {
  const id = (s: string) => w.dialect.ident(s);
  const items = b.columns.map((c) => (c.kind === 'kept' ? id(c.name) : `${combineExpr(w, c.column)} AS ${id(c.column.to)}`));
  return `SELECT\n  ${items.join(',\n  ')}\nFROM ${w.dialect.table(source)}${filter ? ` WHERE ${filter}` : ''}`;
}

/**
 * The shim view's SELECT over the new table: the legacy table's columns in their order, each legacy
 * column of a mapping read from its canonical column, so readers not yet changed keep working.
 */
export function shimSelect(w: SqlTarget, b: ColumnBuild, legacySchema: readonly ColumnInfo[], target: TableId): string {
  const id = (s: string) => w.dialect.ident(s);
  const canonicalOf = new Map(b.canonical.flatMap((c) => c.sources.map((s) => [lower(s), c.to] as const)));
  const items = legacySchema
    .filter((c) => !(METADATA_COLUMNS as readonly string[]).includes(c.name))
    .map((c) => {
      const to = canonicalOf.get(lower(c.name));
      return to === undefined ? id(c.name) : to === c.name ? id(to) : `${id(to)} AS ${id(c.name)}`;
    });
  return `SELECT ${items.join(', ')} FROM ${w.dialect.table(target)}`;
}

/** One line for plans and reports: what the new table no longer has under the old names. */
export function droppedText(b: ColumnBuild): string {
  if (b.dropped.length === 0) return 'no legacy column dropped';
  const byInto = new Map<string, { how: string; from: string[] }>();
  for (const d of b.dropped) byInto.set(d.into, { how: d.how, from: [...(byInto.get(d.into)?.from ?? []), d.column] });
  return `legacy columns dropped: ${[...byInto].map(([into, g]) => `${g.from.join(', ')} (${g.how} into ${into})`).join('; ')}`;
}

/** Every legacy column of a consolidation → its canonical column: what partitioning and clustering follow. */
export function layoutRenames(b: ColumnBuild): Record<string, string> {
  return Object.fromEntries(b.canonical.flatMap((c) => c.sources.map((s) => [s, c.to] as const)));
}

/** The column mappings that name a concrete table mapping's table under either name (no schema needed): whose statuses its steps mark. */
export function columnMappingIndices(loaded: LoadedManifest, m: Pick<ConcreteMapping, 'from' | 'to'>, catalog = new ColumnCatalog(loaded.manifest)): number[] {
  if (catalog.size === 0) return [];
  const out = new Set<number>();
  for (const r of [...catalog.forTable(m.from).values(), ...catalog.forTable(m.to).values()]) out.add(r.mappingIndex);
  return [...out].sort((a, b) => a - b);
}

/**
 * Column mappings whose table no table mapping moves: no phase builds their columns (a table is
 * rebuilt with its canonical columns only when it is created under its new name). One planning note
 * each, with the manifest position, so a plan never passes over them in silence.
 */
export function columnMappingsNoPhaseBuilds(loaded: LoadedManifest): string[] {
  const { manifest } = loaded;
  if (!manifest.mappings.some((m) => m.kind === 'column')) return [];
  const resolver = new MappingResolver(manifest);
  const notes: string[] = [];
  manifest.mappings.forEach((m, index) => {
    if (m.kind !== 'column' || tableMappingOf(manifest, resolver, m.table) !== undefined) return;
    notes.push(
      `mappings[${index}] (${columnMappingLabel(m)} → ${m.to}, ${manifestPosition(loaded, ['mappings', index])}): no table mapping moves ${m.table}, so no phase builds its new columns; map the table to a new name, or rename the columns with a sql step`,
    );
  });
  return notes;
}
