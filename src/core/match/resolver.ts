/**
 * Legacy → new resolution. Table mappings are tried in precedence order:
 * exact names, then templates whose slots are all `variables`, then wildcards;
 * within a tier the one with more literal text wins, then manifest order.
 */
import type { Manifest, Mapping } from '../manifest/schema';
import type { NamePart, TableRef } from '../scan/types';
import { literalLength, matchTokens, parseTemplate, renderTemplate, SEPARATOR, subjectUnits, type Bindings, type SubjectUnit, type TemplateToken } from './template';

export interface Resolution {
  mappingIndex: number;
  mapping: Mapping;
  /** Concrete legacy `dataset.table` as written (host placeholders kept). */
  from: string;
  /** Concrete new `dataset.table`, when the mapping has a `to`. */
  to?: string;
}

export type MappingTier = 'exact' | 'templated' | 'wildcard';

export interface CompiledMapping {
  index: number;
  mapping: Mapping;
  tier: MappingTier;
  literal: number;
  from: TemplateToken[];
  to?: TemplateToken[];
  /** Lower-cased dataset when the `from` dataset has no slot: the lookup key. */
  datasetKey?: string;
}

const TIER_ORDER: Record<MappingTier, number> = { exact: 0, templated: 1, wildcard: 2 };

/** `Dataset.table` template with the dataset part lower-cased: dataset names compare case-insensitively. */
function foldDataset(template: string): string {
  const dot = template.indexOf('.');
  return dot < 0 ? template : template.slice(0, dot).toLowerCase() + template.slice(dot);
}

export function compileMapping(mapping: Mapping, index: number, variables: Manifest['variables']): CompiledMapping {
  const from = parseTemplate(mapping.kind === 'table' ? foldDataset(mapping.from) : mapping.from, variables);
  const slots = from.filter((t) => t.kind === 'slot');
  const tier: MappingTier = slots.length === 0 ? 'exact' : slots.every((t) => t.kind === 'slot' && t.values) ? 'templated' : 'wildcard';
  const dataset = mapping.from.split('.')[0]!;
  return {
    index,
    mapping,
    tier,
    literal: literalLength(from),
    from,
    to: mapping.to !== undefined ? parseTemplate(mapping.to, variables) : undefined,
    datasetKey: mapping.kind === 'table' && !dataset.includes('{') ? dataset.toLowerCase() : undefined,
  };
}

export function comparePrecedence(a: CompiledMapping, b: CompiledMapping): number {
  return TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.literal - a.literal || a.index - b.index;
}

function partUnits(part: NamePart, fold: boolean): SubjectUnit[] {
  const text = fold ? part.text.toLowerCase() : part.text;
  // Placeholder units carry part.placeholders' own text, so case folding never alters them.
  return subjectUnits(text, part.placeholders.map((p) => ({ start: p.range.start - part.range.start, end: p.range.end - part.range.start, text: p.text })));
}

export class MappingResolver {
  readonly tables: CompiledMapping[];
  readonly paths: CompiledMapping[];
  private readonly byDataset = new Map<string, CompiledMapping[]>();
  private readonly anyDataset: CompiledMapping[] = [];
  /** Resolutions of placeholder-free names by dataset text, then table text: the same names repeat across a codebase. */
  private readonly memo = new Map<string, Map<string, Resolution | null>>();
  private memoSize = 0;

  constructor(readonly manifest: Manifest) {
    const compiled = manifest.mappings.map((m, i) => compileMapping(m, i, manifest.variables)).sort(comparePrecedence);
    this.tables = compiled.filter((c) => c.mapping.kind === 'table');
    this.paths = compiled.filter((c) => c.mapping.kind === 'path');
    for (const c of this.tables) {
      if (c.datasetKey === undefined) this.anyDataset.push(c);
      else {
        const list = this.byDataset.get(c.datasetKey) ?? [];
        list.push(c);
        this.byDataset.set(c.datasetKey, list);
      }
    }
  }

  /** Resolves a table reference; meta-tables and wildcard tables never resolve. */
  resolve(ref: TableRef): Resolution | undefined {
    if (ref.meta || ref.wildcard) return undefined;
    if (ref.dataset.placeholders.length > 0 || ref.table.placeholders.length > 0) return this.compute(ref);
    let byTable = this.memo.get(ref.dataset.text);
    const hit = byTable?.get(ref.table.text);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.compute(ref);
    if (this.memoSize >= 50_000) {
      this.memo.clear();
      this.memoSize = 0;
      byTable = undefined;
    }
    if (byTable === undefined) this.memo.set(ref.dataset.text, (byTable = new Map()));
    byTable.set(ref.table.text, r ?? null);
    this.memoSize++;
    return r;
  }

  private compute(ref: TableRef): Resolution | undefined {
    const candidates = this.candidates(ref.dataset.text.toLowerCase());
    if (candidates.length === 0) return undefined;
    const units: SubjectUnit[] = [...partUnits(ref.dataset, true), SEPARATOR, ...partUnits(ref.table, false)];
    for (const c of candidates) {
      const bindings = matchTokens(c.from, units);
      if (bindings) return this.resolution(c, `${ref.dataset.text}.${ref.table.text}`, bindings);
    }
    return undefined;
  }

  /** Resolves a concrete `dataset.table` string (no host placeholders). */
  resolveName(name: string): Resolution | undefined {
    const dot = name.indexOf('.');
    if (dot <= 0) return undefined;
    const dataset = name.slice(0, dot);
    const units: SubjectUnit[] = [...dataset.toLowerCase(), SEPARATOR, ...name.slice(dot + 1)];
    for (const c of this.candidates(dataset.toLowerCase())) {
      const bindings = matchTokens(c.from, units);
      if (bindings) return this.resolution(c, name, bindings);
    }
    return undefined;
  }

  private candidates(datasetKey: string): CompiledMapping[] {
    const direct = this.byDataset.get(datasetKey);
    if (!direct) return this.anyDataset;
    if (this.anyDataset.length === 0) return direct;
    return [...direct, ...this.anyDataset].sort(comparePrecedence);
  }

  private resolution(c: CompiledMapping, from: string, bindings: Bindings): Resolution {
    return { mappingIndex: c.index, mapping: c.mapping, from, to: c.to ? renderTemplate(c.to, bindings) : undefined };
  }
}
