/**
 * Mapping templates (`models_v4.production_training_data_{horizon}`) compiled to
 * tokens, and a backtracking matcher that binds each `{name}` slot either to
 * identifier text or to one host-language placeholder (`{h}`, `${horizon}`),
 * which is then carried into the new name verbatim.
 */

export type TemplateToken =
  | { kind: 'lit'; text: string }
  | { kind: 'slot'; name: string; values?: readonly string[] };

/** What a slot matched: identifier text, or a host placeholder kept as written. */
export interface Binding {
  text: string;
  placeholder: boolean;
}
export type Bindings = ReadonlyMap<string, Binding>;

/** A unit of the subject: one character, a host placeholder, or the dataset/table separator. */
export type SubjectUnit = string | { placeholder: string } | typeof SEPARATOR;
export const SEPARATOR: unique symbol = Symbol('separator');

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

/** Units of one name part: its characters, with each host placeholder as a single unit. */
export function subjectUnits(text: string, placeholders: readonly { start: number; end: number; text: string }[]): SubjectUnit[] {
  const units: SubjectUnit[] = [];
  let i = 0;
  for (const p of [...placeholders].sort((a, b) => a.start - b.start)) {
    if (p.start < i) continue;
    for (; i < p.start; i++) units.push(text[i]!);
    units.push({ placeholder: p.text });
    i = p.end;
  }
  for (; i < text.length; i++) units.push(text[i]!);
  return units;
}

/**
 * Matches the whole subject against the tokens; returns the bindings or undefined.
 */
export function matchTokens(tokens: readonly TemplateToken[], units: readonly SubjectUnit[]): Map<string, Binding> | undefined {
  const bindings = new Map<string, Binding>();
  const unitAsText = (u: SubjectUnit): string | undefined => (typeof u === 'string' ? u : undefined);

  const litAt = (text: string, si: number): number => {
    // Returns the subject index after `text` matched at si, or -1.
    if (si + text.length > units.length) return -1;
    for (let k = 0; k < text.length; k++) {
      const u = units[si + k]!;
      if (text[k] === '.') {
        if (u !== SEPARATOR) return -1;
      } else if (unitAsText(u) !== text[k]) return -1;
    }
    return si + text.length;
  };

  const go = (ti: number, si: number): boolean => {
    if (ti === tokens.length) return si === units.length;
    const tok = tokens[ti]!;
    if (tok.kind === 'lit') {
      const next = litAt(tok.text, si);
      return next >= 0 && go(ti + 1, next);
    }
    const bound = bindings.get(tok.name);
    if (bound) {
      if (bound.placeholder) {
        const u = units[si];
        return typeof u === 'object' && u !== null && 'placeholder' in u && u.placeholder === bound.text && go(ti + 1, si + 1);
      }
      const next = litAt(bound.text, si);
      return next >= 0 && go(ti + 1, next);
    }
    const u = units[si];
    if (typeof u === 'object' && u !== null && 'placeholder' in u) {
      bindings.set(tok.name, { text: u.placeholder, placeholder: true });
      if (go(ti + 1, si + 1)) return true;
      bindings.delete(tok.name);
      return false;
    }
    if (tok.values) {
      for (const v of tok.values) {
        const next = litAt(v, si);
        if (next < 0) continue;
        bindings.set(tok.name, { text: v, placeholder: false });
        if (go(ti + 1, next)) return true;
        bindings.delete(tok.name);
      }
      return false;
    }
    // Wildcard: the longest identifier run first, then shorter ones.
    let end = si;
    while (end < units.length && typeof units[end] === 'string' && IDENT_CHAR.test(units[end] as string)) end++;
    for (let e = end; e > si; e--) {
      bindings.set(tok.name, { text: (units.slice(si, e) as string[]).join(''), placeholder: false });
      if (go(ti + 1, e)) return true;
    }
    bindings.delete(tok.name);
    return false;
  };
  return go(0, 0) ? bindings : undefined;
}
