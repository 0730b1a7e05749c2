/**
 * Legacy → new resolution. Table mappings are tried in precedence order:
 * exact names, then templates whose slots are all `variables`, then wildcards;
 * within a tier the one with more literal text wins, then manifest order.
 */
import { tableAndPathMappings } from '../manifest/mapping-kinds';
import type { Manifest, Mapping } from '../manifest/schema';
import type { NamePart, TableRef } from '../scan/types';
import { literalLength, matchTokens, parseTemplate, renderTemplate, SEPARATOR, subjectUnits, type Match, type SubjectUnit, type TemplateToken } from './template';

export interface Resolution {
  mappingIndex: number;
  mapping: Mapping;
  /** Concrete legacy `dataset.table` as written (host placeholders kept). */
  from: string;
  /** Concrete new `dataset.table`, when the mapping has a `to` and the reference can be rewritten. */
  to?: string;
  /** The reference is to the dataset (`ds.INFORMATION_SCHEMA.TABLES`, `ds.__TABLES__`): `to` renames the dataset only. */
  dataset?: true;
  /** Why a legacy reference has no rewrite although its mapping has a `to` (`to` is then undefined). */
  unfixable?: string;
  /**
   * `to` is itself a legacy name, and so on (A → B → C), every mapping on the way migrated or archived: the
   * end of the chain, which a fix renames to in one step.
   */
  finalTo?: string;
  /**
   * The names come back round (A → B → A): every name, from `from` to the repeat. A text cannot say whether
   * its B is an old B or an A already renamed, so fixing such a reference twice would undo it.
   */
  cycle?: string[];
}

/** Mapping statuses whose new table exists, so a chain may be followed through them. */
const SETTLED = new Set(['migrated', 'archived']);

/** A name as the resolver compares it: the dataset part case-insensitive. */
const nameKey = (name: string) => {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot).toLowerCase() + name.slice(dot);
};

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

function partUnits(part: NamePart, fold: boolean, wildcard = false): SubjectUnit[] {
  const text = fold ? part.text.toLowerCase() : part.text;
  // Placeholder units carry part.placeholders' own text, so case folding never alters them.
  return subjectUnits(text, part.placeholders.map((p) => ({ start: p.range.start - part.range.start, end: p.range.end - part.range.start, text: p.text })), wildcard);
}

/** `from` is `dataset.{slot}`: every table of one dataset, so the dataset itself is renamed to `to`'s. */
function wholeDataset(c: CompiledMapping): string | undefined {
  const [lit, slot, ...rest] = c.from;
  if (rest.length > 0 || lit?.kind !== 'lit' || slot?.kind !== 'slot' || slot.values || !lit.text.endsWith('.') || lit.text.indexOf('.') !== lit.text.length - 1) return undefined;
  const to = c.to?.[0];
  if (to?.kind !== 'lit') return undefined;
  const dot = to.text.indexOf('.');
  return dot > 0 ? to.text.slice(0, dot) : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class MappingResolver {
  readonly tables: CompiledMapping[];
  readonly paths: CompiledMapping[];
  /** Every table mapping by dataset, in precedence order. */
  private readonly byDataset = new Map<string, CompiledMapping[]>();
  /** The templates and wildcards among them: what a name without an exact entry still has to be matched against. */
  private readonly patternsByDataset = new Map<string, CompiledMapping[]>();
  /** Exact entries by their `dataset.table` (dataset lower-cased), the first in precedence order for each name. */
  private readonly exact = new Map<string, CompiledMapping>();
  private readonly anyDataset: CompiledMapping[] = [];
  /** Resolutions of placeholder-free names by dataset text, then table text: the same names repeat across a codebase. */
  private readonly memo = new Map<string, Map<string, Resolution | null>>();
  private memoSize = 0;
  /** Set while a chain is followed, so the names on it are resolved without following them again. */
  private following = false;

  /** `compiled`: the manifest's mappings already compiled, in manifest order (the manifest check shares them). */
  constructor(readonly manifest: Manifest, compiledInOrder?: readonly CompiledMapping[]) {
    const compiled = (compiledInOrder ?? tableAndPathMappings(manifest).map(({ mapping, index }) => compileMapping(mapping, index, manifest.variables))).slice().sort(comparePrecedence);
    this.tables = compiled.filter((c) => c.mapping.kind === 'table');
    this.paths = compiled.filter((c) => c.mapping.kind === 'path');
    for (const c of this.tables) {
      if (c.datasetKey === undefined) this.anyDataset.push(c);
      else {
        push(this.byDataset, c.datasetKey, c);
        if (c.tier !== 'exact') push(this.patternsByDataset, c.datasetKey, c);
        else {
          const name = (c.from[0] as { text: string }).text;
          if (!this.exact.has(name)) this.exact.set(name, c);
        }
      }
    }
  }

  /**
   * Resolves a table reference. A meta table (`ds.INFORMATION_SCHEMA.X`, `ds.__TABLES__`) resolves to its
   * dataset's rename; a wildcard table (`ds.t_*`) to the mapping whose slot its `*` ends in.
   */
  resolve(ref: TableRef): Resolution | undefined {
    if (ref.meta) return this.resolveDataset(ref);
    if (ref.wildcard || ref.dataset.placeholders.length > 0 || ref.table.placeholders.length > 0) return this.compute(ref);
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
    const datasetKey = ref.dataset.text.toLowerCase();
    if (!this.byDataset.has(datasetKey) && this.anyDataset.length === 0) return undefined;
    const units: SubjectUnit[] = [...partUnits(ref.dataset, true), SEPARATOR, ...partUnits(ref.table, false, ref.wildcard)];
    const from = `${ref.dataset.text}.${ref.table.text}`;
    if (!ref.wildcard) return this.firstMatch(datasetKey, ref.table.text, units, from);
    return this.wildcardResolution(this.candidates(datasetKey), units, from);
  }

  /**
   * The first mapping in precedence order that matches a name (not a wildcard table): an exact entry by lookup,
   * since exact entries precede every template, else the first template that matches. `table` is the table part's
   * text, `units` the whole name's.
   */
  private firstMatch(datasetKey: string, table: string, units: readonly SubjectUnit[], from: string): Resolution | undefined {
    // An exact entry is one literal `dataset.table`: it matches only that text, never a placeholder or a dotted part.
    if (!datasetKey.includes('.') && !table.includes('.') && units.every((u) => typeof u === 'string' || u === SEPARATOR)) {
      const c = this.exact.get(`${datasetKey}.${table}`);
      if (c) return this.resolution(c, from, { bindings: new Map(), absorbed: false });
    }
    for (const c of this.patternCandidates(datasetKey)) {
      const m = matchTokens(c.from, units);
      if (m) return this.resolution(c, from, m);
    }
    return undefined;
  }

  /**
   * A wildcard table (`ds.t_*`) reads every table it matches: it is renamed by the first mapping whose slot its
   * `*` ends in, provided every other mapping it overlaps (an exact entry for one of those tables) sends that
   * table where the rename would; otherwise it is flagged without a rewrite.
   */
  private wildcardResolution(candidates: readonly CompiledMapping[], units: readonly SubjectUnit[], from: string): Resolution | undefined {
    const matches = candidates.flatMap((c) => {
      const m = matchTokens(c.from, units);
      return m ? [{ c, m }] : [];
    });
    if (matches.length === 0) return undefined;
    const primary = matches.find((x) => !x.m.absorbed) ?? matches[0]!;
    const r = this.resolution(primary.c, from, primary.m);
    if (r.unfixable !== undefined || primary.c.to === undefined) return r;
    for (const { c } of matches) {
      if (c === primary.c) continue;
      const name = c.tier === 'exact' ? renderTemplate(c.from, new Map()) : undefined;
      const dot = name?.indexOf('.') ?? -1;
      const same = name !== undefined && dot > 0 ? matchTokens(primary.c.from, [...name.slice(0, dot), SEPARATOR, ...name.slice(dot + 1)]) : undefined;
      if (same === undefined || c.mapping.to !== renderTemplate(primary.c.to, same.bindings)) {
        delete r.to;
        r.unfixable = `the wildcard also reads ${c.mapping.from}, which ${c.mapping.to ? `moves to ${c.mapping.to}` : 'is not mapped yet'}`;
        break;
      }
    }
    return r;
  }

  /** A reference to a dataset's metadata: renamed with the dataset when one mapping moves the whole dataset. */
  private resolveDataset(ref: TableRef): Resolution | undefined {
    const key = ref.dataset.text.toLowerCase();
    const mine = this.byDataset.get(key);
    if (mine === undefined) return undefined;
    const from = `${ref.dataset.text}.${ref.table.text}`;
    for (const c of mine) {
      const dataset = wholeDataset(c);
      if (dataset !== undefined) return { mappingIndex: c.index, mapping: c.mapping, from, to: `${dataset}.${ref.table.text}`, dataset: true };
    }
    const first = mine[0]!;
    const targets = [...new Set(mine.flatMap((c) => (c.mapping.to ? [c.mapping.to.split('.')[0]!] : [])))].sort();
    return {
      mappingIndex: first.index,
      mapping: first.mapping,
      from,
      dataset: true,
      unfixable: `no mapping moves all of ${ref.dataset.text}${targets.length ? ` (its tables move to ${targets.join(', ')})` : ''}, so there is no one dataset to read it from`,
    };
  }

  /** Resolves a concrete `dataset.table` string (no host placeholders). */
  resolveName(name: string): Resolution | undefined {
    const dot = name.indexOf('.');
    if (dot <= 0) return undefined;
    const dataset = name.slice(0, dot);
    const units: SubjectUnit[] = [...dataset.toLowerCase(), SEPARATOR, ...name.slice(dot + 1)];
    return this.firstMatch(dataset.toLowerCase(), name.slice(dot + 1), units, name);
  }

  private candidates(datasetKey: string): CompiledMapping[] {
    return this.merged(this.byDataset.get(datasetKey));
  }

  private patternCandidates(datasetKey: string): CompiledMapping[] {
    return this.merged(this.patternsByDataset.get(datasetKey));
  }

  private merged(direct: CompiledMapping[] | undefined): CompiledMapping[] {
    if (!direct) return this.anyDataset;
    if (this.anyDataset.length === 0) return direct;
    return [...direct, ...this.anyDataset].sort(comparePrecedence);
  }

  private resolution(c: CompiledMapping, from: string, m: Match): Resolution {
    const r: Resolution = { mappingIndex: c.index, mapping: c.mapping, from, to: c.to ? renderTemplate(c.to, m.bindings) : undefined };
    if (c.to === undefined) return r;
    // A wildcard `*` can be carried only into a slot that ends the new name too: `fdw_{table}` ← `commodity_*`.
    const starred = [...m.bindings].find(([, b]) => b.text.endsWith('*'))?.[0];
    const last = c.to[c.to.length - 1];
    if (m.absorbed) r.unfixable = `the wildcard ${from} also covers other tables than ${c.mapping.from}'s`;
    else if (starred !== undefined && !(last?.kind === 'slot' && last.name === starred)) r.unfixable = `${c.mapping.to} does not end in {${starred}}, so no wildcard names the same tables`;
    if (r.unfixable !== undefined) delete r.to;
    else if (r.to !== undefined && !this.following && c.mapping.kind === 'table') this.followChain(r);
    return r;
  }

  /** Sets `finalTo` (A → B → C) or `cycle` (A → B → A) when `r.to` is itself a legacy name. */
  private followChain(r: Resolution): void {
    this.following = true;
    try {
      const names = [r.from, r.to!];
      const seen = new Set([nameKey(r.from)]);
      let settled = SETTLED.has(r.mapping.status);
      for (;;) {
        const name = names[names.length - 1]!;
        if (seen.has(nameKey(name))) {
          r.cycle = names;
          return;
        }
        seen.add(nameKey(name));
        const next = this.resolveName(name);
        if (next?.to === undefined || next.dataset) break;
        settled &&= SETTLED.has(next.mapping.status);
        names.push(next.to);
      }
      if (names.length > 2 && settled) r.finalTo = names[names.length - 1];
    } finally {
      this.following = false;
    }
  }
}
