/**
 * `kind: "path"` mappings (export files, model directories) matched as whole
 * tokens in any text. A variable slot matches one of its values or a host
 * placeholder (`{h}`, `${horizon}`), which the new path keeps verbatim.
 */
import type { PathRef, Span } from '../scan/types';
import type { CompiledMapping, Resolution } from './resolver';
import { renderTemplate, type Binding } from './template';

export interface PathMatcher {
  mapping: CompiledMapping;
  regex: RegExp;
  /** Slot name per capture group, in group order. */
  groups: string[];
  /** The longest literal run: a cheap `includes` prefilter. */
  needle: string;
}

const PLACEHOLDER = String.raw`\$?\{[A-Za-z_][A-Za-z0-9_.]*\}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function compilePathMatcher(c: CompiledMapping): PathMatcher {
  const groups: string[] = [];
  let source = '';
  let needle = '';
  for (const t of c.from) {
    if (t.kind === 'lit') {
      source += escape(t.text);
      if (t.text.length > needle.length) needle = t.text;
      continue;
    }
    const seen = groups.indexOf(t.name);
    if (seen >= 0) {
      source += `\\${seen + 1}`;
      continue;
    }
    groups.push(t.name);
    const alternatives = t.values ? [...t.values].sort((a, b) => b.length - a.length).map(escape).join('|') : '[A-Za-z0-9_]+';
    source += `(${alternatives}|${PLACEHOLDER})`;
  }
  // Whole tokens: not inside a longer identifier or file name (a trailing sentence "." is fine).
  const regex = new RegExp(`(?<![A-Za-z0-9_.-])${source}(?!\\.?[A-Za-z0-9_-])`, 'g');
  return { mapping: c, regex, groups, needle };
}

export interface PathMatch {
  ref: PathRef;
  resolution: Resolution;
}

/**
 * Every path-mapping token in `text` (or in [from, until) of it: tokens starting there and ending by `until`);
 * `contextAt` tells code / string / comment for an offset.
 */
export function findPathRefs(text: string, matchers: readonly PathMatcher[], contextAt: (offset: number) => PathRef['context'], taken: readonly Span[] = [], from = 0, until = text.length): PathMatch[] {
  const found: PathMatch[] = [];
  for (const m of matchers) {
    if (m.needle && !text.includes(m.needle)) continue;
    m.regex.lastIndex = from;
    for (let hit = m.regex.exec(text); hit; hit = m.regex.exec(text)) {
      const start = hit.index;
      const end = start + hit[0].length;
      if (end > until) break;
      if (taken.some((s) => s.start < end && start < s.end) || found.some((f) => f.ref.range.start < end && start < f.ref.range.end)) continue;
      const bindings = new Map<string, Binding>();
      m.groups.forEach((name, i) => {
        const v = hit![i + 1]!;
        bindings.set(name, { text: v, placeholder: v.includes('{') });
      });
      const ref: PathRef = { range: { start, end }, context: contextAt(start), text: hit[0] };
      const to = m.mapping.to ? renderTemplate(m.mapping.to, bindings) : undefined;
      found.push({ ref, resolution: { mappingIndex: m.mapping.index, mapping: m.mapping.mapping, from: hit[0], to } });
    }
  }
  return found.sort((a, b) => a.ref.range.start - b.ref.range.start);
}
