/**
 * What a definition reads, and the order to apply definitions in: an object after the objects it
 * reads. Table and view references come from the linter's SQL scan (every form it knows, comments
 * and strings excluded unless asked); routine calls (`dataset.fn(`) from the DDL tokenizer.
 */
import type { Linter } from '../lint/linter';
import type { TableRef } from '../scan/types';
import { tokenize } from './tokens';

export interface DefinitionRead {
  dataset: string;
  name: string;
  /** Offsets in the text the read was found in. */
  start: number;
  end: number;
  /** A wildcard table (`events_*`): it reads whatever matches. */
  wildcard: boolean;
  /** Found in a comment (a scheduled query's `-- destination:` line). */
  comment: boolean;
  /** A call `dataset.fn(…)`: a routine. */
  call: boolean;
}

export const readKey = (dataset: string, name: string) => `${dataset}.${name}`;

/**
 * The objects of `project` a SQL text names, in order of appearance: tables and views through the
 * linter's scanner, routine calls through the tokenizer. `skip` is a span to ignore (the object's
 * own name in its CREATE); other projects, INFORMATION_SCHEMA and templated names are left out.
 */
export function definitionReads(text: string, linter: Linter, project: string, opts: { skip?: { start: number; end: number }; comments?: boolean } = {}): DefinitionRead[] {
  const out: DefinitionRead[] = [];
  const skipped = (s: number, e: number) => opts.skip !== undefined && s < opts.skip.end && e > opts.skip.start;
  for (const { ref } of linter.lintText(text, 'definition.sql', 'sql').refs) {
    if (!('dataset' in ref)) continue;
    const t = ref as TableRef;
    if (t.meta || skipped(t.range.start, t.range.end)) continue;
    if (t.context === 'comment' && !opts.comments) continue;
    if (t.project && t.project.text.toLowerCase() !== project.toLowerCase()) continue;
    if ([t.project, t.dataset, t.table].some((p) => p && p.placeholders.length > 0)) continue;
    out.push({ dataset: t.dataset.text, name: t.table.text, start: t.range.start, end: t.range.end, wildcard: t.wildcard, comment: t.context === 'comment', call: false });
  }
  // Routine calls: name ( — a dotted name outside strings and comments followed by "(".
  const tokens = tokenize(text).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'quoted' && t.kind !== 'word') continue;
    let j = k;
    let name = t.kind === 'quoted' ? t.text.slice(1, -1) : t.text;
    while (tokens[j + 1]?.text === '.' && (tokens[j + 2]?.kind === 'word' || tokens[j + 2]?.kind === 'quoted') && tokens[j + 1]!.start === tokens[j]!.end) {
      const p = tokens[j + 2]!;
      name += `.${p.kind === 'quoted' ? p.text.slice(1, -1) : p.text}`;
      j += 2;
    }
    const next = tokens[j + 1];
    if (next?.text === '(' && name.includes('.')) {
      const parts = name.split('.');
      const [p, dataset, fn] = parts.length === 3 ? parts : [undefined, ...parts];
      if (parts.length <= 3 && dataset && fn && (p === undefined || p.toLowerCase() === project.toLowerCase()) && !skipped(t.start, tokens[j]!.end)) {
        out.push({ dataset, name: fn, start: t.start, end: tokens[j]!.end, wildcard: false, comment: false, call: true });
      }
    }
    k = j;
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Orders keys so each comes after the keys it reads (only reads among `nodes` count), stable by
 * the order given. A cycle is returned as the keys around it, first key repeated at the end.
 */
export function orderByReads(nodes: readonly { key: string; reads: readonly string[] }[]): { order: string[]; cycle?: string[] } {
  const keys = new Set(nodes.map((n) => n.key));
  const deps = new Map(nodes.map((n) => [n.key, [...new Set(n.reads.filter((r) => keys.has(r) && r !== n.key))]]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  let cycle: string[] | undefined;
  const visit = (k: string): void => {
    if (cycle) return;
    const s = state.get(k);
    if (s === 'done') return;
    if (s === 'visiting') {
      cycle = [...stack.slice(stack.indexOf(k)), k];
      return;
    }
    state.set(k, 'visiting');
    stack.push(k);
    for (const d of deps.get(k) ?? []) visit(d);
    stack.pop();
    state.set(k, 'done');
    order.push(k);
  };
  for (const n of nodes) visit(n.key);
  return cycle ? { order, cycle } : { order };
}
