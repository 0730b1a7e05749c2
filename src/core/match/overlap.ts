/**
 * Finds mapping pairs that are truly ambiguous: same precedence (tier and
 * literal length), a concrete name both can match, and different targets.
 * Templates are expanded over their variables; wildcards become "any run of
 * identifier characters" and two such patterns are intersected by a memoised
 * walk over both at once, which also yields a witness name for the message.
 * Only pairs an index of leading literals admits are intersected, so the check
 * stays near-linear in the number of mappings (organisations have tens of thousands).
 */
import type { CompiledMapping } from './resolver';
import type { TemplateToken } from './template';

/** A glob unit: a literal character, ANY (one identifier character) or STAR0 (zero or more). */
type Unit = string | typeof ANY | typeof STAR0;
type Glob = Unit[];
const ANY: unique symbol = Symbol('any');
const STAR0: unique symbol = Symbol('star0');
const MAX_EXPANSIONS = 2000;

/** The globs a template stands for: one per combination of its variables' values (capped), a wildcard as ANY STAR0. */
export function expandGlobs(tokens: readonly TemplateToken[]): Glob[] {
  let out: { glob: Glob; bound: Map<string, string> }[] = [{ glob: [], bound: new Map() }];
  for (const t of tokens) {
    const next: typeof out = [];
    for (const o of out) {
      if (t.kind === 'lit') next.push({ glob: [...o.glob, ...t.text], bound: o.bound });
      else if (!t.values) next.push({ glob: [...o.glob, ANY, STAR0], bound: o.bound });
      else if (o.bound.has(t.name)) next.push({ glob: [...o.glob, ...o.bound.get(t.name)!], bound: o.bound });
      else for (const v of t.values) next.push({ glob: [...o.glob, ...v], bound: new Map(o.bound).set(t.name, v) });
      if (next.length > MAX_EXPANSIONS) return next.map((n) => n.glob);
    }
    out = next;
  }
  return out.map((o) => o.glob);
}

/** One character both units accept, or undefined. */
function meet(x: Unit, y: Unit): string | undefined {
  if (x === ANY && y === ANY) return 'x';
  if (x === ANY) return y !== '.' && typeof y === 'string' ? y : undefined;
  if (y === ANY) return x !== '.' && typeof x === 'string' ? x : undefined;
  return x === y ? (x as string) : undefined;
}

/** A string both globs match, or undefined. */
export function intersectGlobs(a: Glob, b: Glob): string | undefined {
  const failed = new Set<number>();
  const go = (i: number, j: number): string | undefined => {
    if (i === a.length && j === b.length) return '';
    const k = i * (b.length + 1) + j;
    if (failed.has(k)) return undefined;
    let r: string | undefined;
    const x = a[i];
    const y = b[j];
    if (x === STAR0) {
      r = go(i + 1, j);
      if (r === undefined && y !== undefined && y !== STAR0) {
        const ch = meet(ANY, y);
        const rest = ch === undefined ? undefined : go(i, j + 1);
        if (rest !== undefined) r = ch + rest;
      }
    }
    if (r === undefined && y === STAR0) {
      r = go(i, j + 1);
      if (r === undefined && x !== undefined && x !== STAR0) {
        const ch = meet(x, ANY);
        const rest = ch === undefined ? undefined : go(i + 1, j);
        if (rest !== undefined) r = ch + rest;
      }
    }
    if (r === undefined && x !== undefined && y !== undefined && x !== STAR0 && y !== STAR0) {
      const ch = meet(x, y);
      const rest = ch === undefined ? undefined : go(i + 1, j + 1);
      if (rest !== undefined) r = ch + rest;
    }
    if (r === undefined) failed.add(k);
    return r;
  };
  return go(0, 0);
}

export interface AmbiguousPair {
  first: CompiledMapping;
  second: CompiledMapping;
  /** A concrete name both match. */
  witness: string;
}

function leadingLiteral(tokens: readonly TemplateToken[]): string {
  return tokens[0]?.kind === 'lit' ? tokens[0].text : '';
}

function trailingLiteral(tokens: readonly TemplateToken[]): string {
  const last = tokens[tokens.length - 1];
  return last?.kind === 'lit' ? last.text : '';
}

/**
 * Positions (x < y) of the pairs that can be ambiguous at all, in (x, y) order: the same kind, tier and literal
 * length, one leading literal a prefix of the other (every name a template matches starts with its leading
 * literal) and one trailing literal a suffix of the other. Mappings are indexed by group and leading literal, so
 * each one looks up only the leading literals that are prefixes of its own instead of meeting every other entry.
 */
function candidatePairs(compiled: readonly CompiledMapping[]): number[][] {
  const groups = new Map<string, number[]>();
  compiled.forEach((c, x) => {
    const key = `${c.mapping.kind}\u0000${c.tier}\u0000${c.literal}`;
    const group = groups.get(key);
    if (group) group.push(x);
    else groups.set(key, [x]);
  });
  const partners: number[][] = compiled.map(() => []);
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const byLead = new Map<string, number[]>();
    for (const x of group) {
      const lead = leadingLiteral(compiled[x]!.from);
      const list = byLead.get(lead);
      if (list) list.push(x);
      else byLead.set(lead, [x]);
    }
    const lengths = [...new Set([...byLead.keys()].map((l) => l.length))].sort((a, b) => a - b);
    for (const x of group) {
      const lead = leadingLiteral(compiled[x]!.from);
      const tail = trailingLiteral(compiled[x]!.from);
      for (const n of lengths) {
        if (n > lead.length) break;
        // A strictly shorter leading literal pairs with x either way round; an equal one only once, from the lower position.
        for (const y of byLead.get(lead.slice(0, n)) ?? []) {
          if (n === lead.length && y <= x) continue;
          const other = trailingLiteral(compiled[y]!.from);
          if (!tail.endsWith(other) && !other.endsWith(tail)) continue;
          partners[Math.min(x, y)]!.push(Math.max(x, y));
        }
      }
    }
  }
  for (const list of partners) list.sort((a, b) => a - b);
  return partners;
}

/** Pairs of the same precedence that can match one name and lead to different places, in manifest-list order. */
export function findAmbiguousPairs(compiled: readonly CompiledMapping[]): AmbiguousPair[] {
  const pairs: AmbiguousPair[] = [];
  const globs = new Map<CompiledMapping, Glob[]>();
  const globsOf = (c: CompiledMapping) => globs.get(c) ?? globs.set(c, expandGlobs(c.from)).get(c)!;
  candidatePairs(compiled).forEach((ys, x) => {
    for (const y of ys) {
      const a = compiled[x]!;
      const b = compiled[y]!;
      let witness: string | undefined;
      for (const ga of globsOf(a)) {
        for (const gb of globsOf(b)) {
          witness = intersectGlobs(ga, gb);
          if (witness !== undefined) break;
        }
        if (witness !== undefined) break;
      }
      if (witness !== undefined) pairs.push({ first: a.index < b.index ? a : b, second: a.index < b.index ? b : a, witness });
    }
  });
  return pairs;
}
