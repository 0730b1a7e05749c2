/**
 * The naming verdict for one `dataset.table`: which convention applies, every
 * segment's value, the failing segment with its allowed values, and the
 * closest valid name (edit distance) when there is one.
 */
import type { Manifest } from '../manifest/schema';
import { closest } from './distance';
import { compileConvention, describeAllowed, enumerateNames, parseName, PLACEHOLDER_MARK, type CompiledConvention, type ParsedSegment } from './convention';

export interface SegmentVerdict {
  name: string;
  /** The value found; undefined for segments after the failure. */
  value?: string;
  allowed: string;
  ok: boolean;
}

export interface NamingVerdict {
  name: string;
  dataset: string;
  table: string;
  /** `ungoverned`: the dataset has no convention. */
  status: 'valid' | 'invalid' | 'exempt' | 'ungoverned';
  ok: boolean;
  pattern?: string;
  segments: SegmentVerdict[];
  failure?: { segment?: string; value: string; expected: string };
  suggestion?: string;
  /** One sentence, used as the diagnostic message. */
  message: string;
}

export class NamingChecker {
  private readonly conventions = new Map<string, CompiledConvention>();
  private readonly cache = new Map<string, NamingVerdict>();
  private readonly enumerated = new Map<string, string[] | undefined>();

  constructor(readonly manifest: Manifest) {
    for (const [dataset, c] of Object.entries(manifest.naming)) this.conventions.set(dataset.toLowerCase(), compileConvention(dataset, c, manifest.variables));
  }

  governs(dataset: string): boolean {
    return this.conventions.has(dataset.toLowerCase());
  }

  /** `table` may contain PLACEHOLDER_MARK runs standing for host placeholders. */
  check(dataset: string, table: string): NamingVerdict {
    const key = `${dataset.toLowerCase()}.${table}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const verdict = this.compute(dataset, table);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, verdict);
    return verdict;
  }

  private compute(dataset: string, table: string): NamingVerdict {
    const name = `${dataset}.${table}`;
    const conv = this.conventions.get(dataset.toLowerCase());
    // Object literals with every field, not spreads of a shared base: a spread costs microseconds per name,
    // and the manifest check asks for tens of thousands of names.
    if (!conv) return { name, dataset, table, segments: [], status: 'ungoverned', ok: true, message: `${dataset} has no naming convention in bqmigrate.json` };
    if (conv.exempt.has(table)) return { name, dataset, table, segments: [], status: 'exempt', ok: true, pattern: conv.pattern, message: `${name} is exempt from the ${dataset} convention ${conv.pattern}` };
    const outcome = parseName(conv, table);
    const describe = (found: ParsedSegment[], failedAt?: number): SegmentVerdict[] =>
      conv.segments.map((t, i) => ({ name: t.name, value: found[i]?.value, allowed: describeAllowed(t.allowed), ok: failedAt === undefined || i < failedAt }));
    if (outcome.ok) return { name, dataset, table, segments: describe(outcome.segments), status: 'valid', ok: true, pattern: conv.pattern, message: `${name} follows ${conv.pattern}` };

    const tok = conv.tokens[outcome.tokenIndex];
    const rest = table.slice(outcome.position);
    const nextLit = conv.tokens[outcome.tokenIndex + 1];
    let failure: NamingVerdict['failure'];
    let message: string;
    const shown = (s: string) => s.split(PLACEHOLDER_MARK).join('{…}');
    if (!tok) {
      failure = { value: rest, expected: 'the end of the name' };
      message = `${shown(name)} does not follow ${conv.pattern}: unexpected "${shown(rest)}" after the last segment`;
    } else if (tok.kind === 'lit') {
      failure = { value: rest, expected: `"${tok.text}"` };
      const after = outcome.segments.length ? ` after {${outcome.segments[outcome.segments.length - 1]!.name}} = "${shown(outcome.segments[outcome.segments.length - 1]!.value)}"` : '';
      message = `${shown(name)} does not follow ${conv.pattern}: expected "${tok.text}"${after}${rest ? `, found "${shown(rest)}"` : ', found the end of the name'}`;
    } else {
      // The value runs to the next separator (the pattern's first literal when the segment is last).
      const sep = nextLit?.kind === 'lit' ? nextLit.text : conv.tokens.find((t) => t.kind === 'lit')?.text;
      const cut = sep ? rest.indexOf(sep) : -1;
      const value = cut > 0 ? rest.slice(0, cut) : rest;
      failure = { segment: tok.name, value, expected: describeAllowed(tok.allowed) };
      message = value
        ? `${shown(name)} does not follow ${conv.pattern}: segment {${tok.name}} is "${shown(value)}", expected ${tok.allowed.kind === 'values' ? `one of ${describeAllowed(tok.allowed)}` : describeAllowed(tok.allowed)}`
        : `${shown(name)} does not follow ${conv.pattern}: segment {${tok.name}} is missing (${describeAllowed(tok.allowed)})`;
    }
    const suggestion = table.includes(PLACEHOLDER_MARK) ? undefined : this.suggest(conv, table, failure);
    if (suggestion) message += `; did you mean ${dataset}.${suggestion}?`;
    const failedAt = outcome.segments.length;
    const segments = describe(outcome.segments, failedAt);
    if (failure.segment && segments[failedAt]?.name === failure.segment && failure.value) segments[failedAt]!.value = failure.value;
    return { name, dataset, table, segments, status: 'invalid', ok: false, pattern: conv.pattern, failure, suggestion, message };
  }

  private suggest(conv: CompiledConvention, table: string, failure: NamingVerdict['failure']): string | undefined {
    if (!this.enumerated.has(conv.dataset)) this.enumerated.set(conv.dataset, enumerateNames(conv));
    const all = this.enumerated.get(conv.dataset);
    if (all) return closest(table, all);
    // Not enumerable: repair the failing segment alone and check the result parses.
    const tok = conv.tokens.find((t) => t.kind === 'segment' && t.name === failure?.segment);
    if (!tok || tok.kind !== 'segment' || tok.allowed.kind !== 'values' || !failure?.value) return undefined;
    const replacement = closest(failure.value, tok.allowed.values, 0.6);
    if (!replacement) return undefined;
    const at = table.indexOf(failure.value);
    const candidate = table.slice(0, at) + replacement + table.slice(at + failure.value.length);
    return parseName(conv, candidate).ok ? candidate : undefined;
  }
}

/** The verdict for `dataset.table` (segment by segment), as `bqmigrate explain-name` prints it. */
export function explainName(manifest: Manifest, name: string): NamingVerdict {
  const dot = name.indexOf('.');
  const dataset = dot < 0 ? '' : name.slice(0, dot);
  const table = dot < 0 ? name : name.slice(dot + 1);
  if (dot < 0) return { name, dataset, table, status: 'invalid', ok: false, segments: [], failure: { value: name, expected: 'dataset.table' }, message: `"${name}" is not dataset.table` };
  return new NamingChecker(manifest).check(dataset, table);
}
