/**
 * Mapping templates (`models_v4.production_training_data_{horizon}`) compiled to
 * tokens, and a backtracking matcher that binds each `{name}` slot either to
 * identifier text or to one host-language placeholder (`{h}`, `${horizon}`),
 * which is then carried into the new name verbatim.
 */

export type TemplateToken =
  | { kind: 'lit'; text: string }
  | { kind: 'slot'; name: string; values?: readonly string[] };

/** What a slot matched: identifier text, host placeholders kept as written, or both (`amplified_{prefix}`). */
export interface Binding {
  text: string;
  /** True when the slot matched exactly one host placeholder. */
  placeholder: boolean;
  /** The units matched, when the text mixes characters and placeholders or ends in a wildcard `*`. */
  units?: readonly SubjectUnit[];
}
export type Bindings = ReadonlyMap<string, Binding>;

/** A unit of the subject: one character, a host placeholder, the dataset/table separator, or a wildcard table's final `*`. */
export type SubjectUnit = string | { placeholder: string } | typeof SEPARATOR | typeof STAR;
export const SEPARATOR: unique symbol = Symbol('separator');
export const STAR: unique symbol = Symbol('star');

/**
 * A match of a subject against a template. `absorbed`: the subject is a wildcard table whose `*` covers more
 * than one slot's tail (`prod*` against `production_{h}`, or a `*` after the whole name): the tables it reads
 * include this mapping's, but no single new wildcard names the same set.
 */
export interface Match {
  bindings: Map<string, Binding>;
  absorbed: boolean;
}

const SLOT = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const IDENT_CHAR = /[A-Za-z0-9_]/;

/** Splits a template into literal runs and slots; a slot is a variable when `variables` lists it, else a wildcard. */
export function parseTemplate(template: string, variables: Readonly<Record<string, readonly string[]>>): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let last = 0;
  for (const m of template.matchAll(SLOT)) {
    if (m.index! > last) tokens.push({ kind: 'lit', text: template.slice(last, m.index) });
    const name = m[1]!;
    const values = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    tokens.push(values ? { kind: 'slot', name, values: [...values].sort((a, b) => b.length - a.length) } : { kind: 'slot', name });
    last = m.index! + m[0].length;
  }
  if (last < template.length) tokens.push({ kind: 'lit', text: template.slice(last) });
  return tokens;
}

export function slotNames(tokens: readonly TemplateToken[]): string[] {
  return tokens.flatMap((t) => (t.kind === 'slot' ? [t.name] : []));
}

export function literalLength(tokens: readonly TemplateToken[]): number {
  return tokens.reduce((n, t) => n + (t.kind === 'lit' ? t.text.length : 0), 0);
}

/** Substitutes bindings into a template; an unbound slot stays as `{name}` (the manifest check reports it). */
export function renderTemplate(tokens: readonly TemplateToken[], bindings: Bindings): string {
  return tokens.map((t) => (t.kind === 'lit' ? t.text : bindings.get(t.name)?.text ?? `{${t.name}}`)).join('');
}

/** Units of one name part: its characters, with each host placeholder as a single unit and a final `*` as STAR when `wildcard`. */
export function subjectUnits(text: string, placeholders: readonly { start: number; end: number; text: string }[], wildcard = false): SubjectUnit[] {
  const units: SubjectUnit[] = [];
  const end = wildcard && text.endsWith('*') ? text.length - 1 : text.length;
  let i = 0;
  for (const p of [...placeholders].sort((a, b) => a.start - b.start)) {
    if (p.start < i) continue;
    for (; i < p.start; i++) units.push(text[i]!);
    units.push({ placeholder: p.text });
    i = p.end;
  }
  for (; i < end; i++) units.push(text[i]!);
  if (end < text.length) units.push(STAR);
  return units;
}

const isPlaceholder = (u: SubjectUnit | undefined): u is { placeholder: string } => typeof u === 'object' && u !== null && 'placeholder' in u;
const unitText = (u: SubjectUnit): string => (typeof u === 'string' ? u : isPlaceholder(u) ? u.placeholder : u === STAR ? '*' : '.');
const sameUnits = (a: readonly SubjectUnit[], b: readonly SubjectUnit[]) => a.length === b.length && a.every((u, k) => unitText(u) === unitText(b[k]!) && typeof u === typeof b[k]);

/** Matches the whole subject against the tokens; returns the bindings (and whether a `*` absorbed more than a slot's tail) or undefined. */
export function matchTokens(tokens: readonly TemplateToken[], units: readonly SubjectUnit[]): Match | undefined {
  const bindings = new Map<string, Binding>();
  let absorbed = false;

  const litAt = (text: string, si: number): number => {
    // Returns the subject index after `text` matched at si, -1, or -2 when a STAR ends the subject inside `text` after a matching prefix.
    for (let k = 0; k < text.length; k++) {
      const u = units[si + k];
      if (u === STAR && si + k === units.length - 1) return -2;
      if (u === undefined) return -1;
      if (text[k] === '.') {
        if (u !== SEPARATOR) return -1;
      } else if (u !== text[k]) return -1;
    }
    return si + text.length;
  };

  const go = (ti: number, si: number): boolean => {
    if (ti === tokens.length) {
      if (si === units.length) return true;
      // `…_1m*`: the whole name and more
      if (si === units.length - 1 && units[si] === STAR) return (absorbed = true);
      return false;
    }
    const tok = tokens[ti]!;
    if (tok.kind === 'lit') {
      const next = litAt(tok.text, si);
      if (next === -2) return (absorbed = true);
      return next >= 0 && go(ti + 1, next);
    }
    const bound = bindings.get(tok.name);
    if (bound) {
      const want = bound.units ?? (bound.placeholder ? [{ placeholder: bound.text }] : [...bound.text]);
      if (si + want.length > units.length || !sameUnits(want, units.slice(si, si + want.length))) return false;
      return go(ti + 1, si + want.length);
    }
    const u = units[si];
    if (tok.values) {
      if (isPlaceholder(u)) {
        bindings.set(tok.name, { text: u.placeholder, placeholder: true });
        if (go(ti + 1, si + 1)) return true;
        bindings.delete(tok.name);
        return false;
      }
      for (const v of tok.values) {
        const next = litAt(v, si);
        if (next === -2) {
          // `production_training_data_1*`: the values starting with the prefix, all of this slot
          const prefix = (units.slice(si, units.length - 1) as string[]).join('');
          bindings.set(tok.name, { text: `${prefix}*`, placeholder: false, units: units.slice(si) });
          if (ti !== tokens.length - 1) absorbed = true;
          return true;
        }
        if (next < 0) continue;
        bindings.set(tok.name, { text: v, placeholder: false });
        if (go(ti + 1, next)) return true;
        bindings.delete(tok.name);
      }
      return false;
    }
    // Wildcard: the longest run of identifier characters and placeholders first (a final `*` included), then shorter ones.
    let end = si;
    while (end < units.length && (isPlaceholder(units[end]) || (typeof units[end] === 'string' && IDENT_CHAR.test(units[end] as string)))) end++;
    if (units[end] === STAR && end === units.length - 1) {
      const run = units.slice(si, end + 1);
      bindings.set(tok.name, { text: run.map(unitText).join(''), placeholder: false, units: run });
      if (ti !== tokens.length - 1) absorbed = true;
      return true;
    }
    for (let e = end; e > si; e--) {
      const run = units.slice(si, e);
      const onePlaceholder = run.length === 1 && isPlaceholder(run[0]);
      const mixed = !onePlaceholder && run.some(isPlaceholder);
      bindings.set(tok.name, { text: run.map(unitText).join(''), placeholder: onePlaceholder, ...(mixed ? { units: run } : {}) });
      if (go(ti + 1, e)) return true;
    }
    bindings.delete(tok.name);
    return false;
  };
  return go(0, 0) ? { bindings, absorbed } : undefined;
}
