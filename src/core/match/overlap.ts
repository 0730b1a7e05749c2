/**
 * Finds mapping pairs that are truly ambiguous: same precedence (tier and
 * literal length), a concrete name both can match, and different targets.
 * Templates are expanded over their variables; wildcards become "any run of
 * identifier characters" and two such patterns are intersected by a memoised
 * walk over both at once, which also yields a witness name for the message.
 */
import type { CompiledMapping } from './resolver';
import type { TemplateToken } from './template';

/** A glob unit: a literal character, ANY (one identifier character) or STAR0 (zero or more). */
type Unit = string | typeof ANY | typeof STAR0;
type Glob = Unit[];
const ANY: unique symbol = Symbol('any');
const STAR0: unique symbol = Symbol('star0');
const MAX_EXPANSIONS = 2000;

function expand(tokens: readonly TemplateToken[]): Glob[] {
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

/** Pairs of the same precedence that can match one name and lead to different places. */
export function findAmbiguousPairs(compiled: readonly CompiledMapping[]): AmbiguousPair[] {
  const pairs: AmbiguousPair[] = [];
  const globs = new Map<CompiledMapping, Glob[]>();
  const globsOf = (c: CompiledMapping) => globs.get(c) ?? globs.set(c, expand(c.from)).get(c)!;
  for (let x = 0; x < compiled.length; x++) {
    for (let y = x + 1; y < compiled.length; y++) {
      const a = compiled[x]!;
      const b = compiled[y]!;
      if (a.mapping.kind !== b.mapping.kind || a.tier !== b.tier || a.literal !== b.literal) continue;
      const pa = leadingLiteral(a.from);
      const pb = leadingLiteral(b.from);
      if (!pa.startsWith(pb) && !pb.startsWith(pa)) continue;
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
  }
  return pairs;
}
