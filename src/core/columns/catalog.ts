/**
 * The manifest's column mappings, looked up by a concrete table name. A column mapping names its table
 * as a table mapping does (templates allowed); when that table is a legacy table with a table mapping,
 * the column mapping also covers the table it is mapped to, so code already moved to the new table name
 * still has its columns renamed.
 */
import { columnSources } from '../manifest/mapping-kinds';
import type { ColumnMapping, Manifest } from '../manifest/schema';
import { MappingResolver } from '../match/resolver';
import type { NamePart, TableRef } from '../scan/types';
import { matchTokens, parseTemplate, SEPARATOR, subjectUnits, type SubjectUnit, type TemplateToken } from '../match/template';

/** One legacy column of one column mapping, as a reference to it is rewritten. */
export interface ColumnRename {
  mappingIndex: number;
  mapping: ColumnMapping;
  /** The legacy column as the manifest spells it. */
  from: string;
  /** The canonical column. */
  to: string;
  /** The mapping consolidates several columns into `to`. */
  manyToOne: boolean;
}

/** Column renames of one table, keyed by lower-cased legacy column (BigQuery column names are case-insensitive). */
export type TableColumnRenames = ReadonlyMap<string, ColumnRename>;

interface CompiledColumnMapping {
  index: number;
  mapping: ColumnMapping;
  /** The `table` template and, when it is a mapped legacy table, the template of its new name. */
  tables: TemplateToken[][];
}

const foldDataset = (name: string) => {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot).toLowerCase() + name.slice(dot);
};

const EMPTY: TableColumnRenames = new Map();

function partUnits(part: NamePart, fold: boolean): SubjectUnit[] {
  const text = fold ? part.text.toLowerCase() : part.text;
  return subjectUnits(text, part.placeholders.map((p) => ({ start: p.range.start - part.range.start, end: p.range.end - part.range.start, text: p.text })));
}

export class ColumnCatalog {
  private readonly compiled: CompiledColumnMapping[] = [];
  private readonly memo = new Map<string, TableColumnRenames>();

  constructor(readonly manifest: Manifest, resolver: MappingResolver = new MappingResolver(manifest)) {
    manifest.mappings.forEach((mapping, index) => {
      if (mapping.kind !== 'column') return;
      const tables = [parseTemplate(foldDataset(mapping.table), manifest.variables)];
      const followed = followTableMapping(manifest, resolver, mapping.table);
      if (followed !== undefined) tables.push(parseTemplate(foldDataset(followed), manifest.variables));
      this.compiled.push({ index, mapping, tables });
    });
  }

  get size(): number {
    return this.compiled.length;
  }

  /** The column renames that apply to the concrete table `dataset.table`; empty when none. */
  forTable(name: string): TableColumnRenames {
    const key = foldDataset(name);
    const hit = this.memo.get(key);
    if (hit) return hit;
    const dot = key.indexOf('.');
    const units: SubjectUnit[] = [...subjectUnits(key.slice(0, dot), []), SEPARATOR, ...subjectUnits(key.slice(dot + 1), [])];
    const result = this.collect(units);
    if (this.memo.size < 10_000) this.memo.set(key, result);
    return result;
  }

  private collect(units: readonly SubjectUnit[]): TableColumnRenames {
    let out: Map<string, ColumnRename> | undefined;
    for (const c of this.compiled) {
      if (!c.tables.some((t) => matchTokens(t, units))) continue;
      const sources = columnSources(c.mapping);
      for (const from of sources) {
        out ??= new Map();
        if (!out.has(from.toLowerCase())) out.set(from.toLowerCase(), { mappingIndex: c.index, mapping: c.mapping, from, to: c.mapping.to, manyToOne: sources.length > 1 });
      }
    }
    return out ?? EMPTY;
  }

  /**
   * The column renames that apply to a scanned table reference: its host placeholders (`{h}`, `${horizon}`)
   * each stand for one slot value, as they do for table mappings.
   */
  forRef(ref: TableRef): TableColumnRenames {
    if (ref.meta || ref.routine || ref.wildcard) return EMPTY;
    if (ref.dataset.placeholders.length === 0 && ref.table.placeholders.length === 0) return this.forTable(`${ref.dataset.text}.${ref.table.text}`);
    const units: SubjectUnit[] = [...partUnits(ref.dataset, true), SEPARATOR, ...partUnits(ref.table, false)];
    return this.collect(units);
  }

  /** Every column mapping with its index in `mappings`. */
  entries(): { index: number; mapping: ColumnMapping }[] {
    return this.compiled.map((c) => ({ index: c.index, mapping: c.mapping }));
  }
}

/**
 * The new name of a column mapping's table when the table is a mapped legacy table: the `to` template of a
 * table mapping whose `from` is the same template, else the `to` a concrete name resolves to.
 */
export function followTableMapping(manifest: Manifest, resolver: MappingResolver, table: string): string | undefined {
  const key = foldDataset(table);
  for (const m of manifest.mappings) {
    if (m.kind === 'table' && m.to !== undefined && foldDataset(m.from) === key) return m.to === table ? undefined : m.to;
  }
  if (table.includes('{')) return undefined;
  const r = resolver.resolveName(table);
  return r?.to !== undefined && r.to !== table ? r.to : undefined;
}

/**
 * The table or path mapping a column mapping's table belongs to: the one whose `from` or `to` is the
 * same template, else the mapping a concrete name resolves to (as a legacy or a new name). Undefined
 * when the table is not moved: then no phase builds its columns (`columnMappingsNoPhaseBuilds` says so in the plan).
 */
export function tableMappingOf(manifest: Manifest, resolver: MappingResolver, table: string): number | undefined {
  const key = foldDataset(table);
  const index = manifest.mappings.findIndex((m) => m.kind === 'table' && (foldDataset(m.from) === key || (m.to !== undefined && foldDataset(m.to) === key)));
  if (index >= 0) return index;
  if (table.includes('{')) return undefined;
  const r = resolver.resolveName(table);
  return r && !r.dataset ? r.mappingIndex : undefined;
}

/** `table.column` or `table.(a, b, c)`: how messages and listings name a column mapping's legacy side. */
export function columnMappingLabel(m: ColumnMapping): string {
  const sources = columnSources(m);
  return sources.length === 1 ? `${m.table}.${sources[0]}` : `${m.table}.(${sources.join(', ')})`;
}
