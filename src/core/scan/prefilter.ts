/**
 * The cheap prefilter: false only when scanText cannot find a reference. A file needs a known dataset
 * name or the project somewhere (case-insensitive), or — where the language row's `prefilter` says
 * `keywords` or `sql` — a table-position keyword, or — `sql`: SQL code, in the file or embedded in it — a
 * backtick or `[` (quoted paths are references in SQL code without a keyword). Its recall is checked against
 * the exhaustive linter (no prefilter) on whole corpora: test/corpus/prefilter-differential.ts.
 */
import { TABLE_KEYWORDS } from './keywords';
import { language } from './languages';
import type { LanguageId, ScanOptions } from './types';

interface Patterns {
  /** Known datasets and the project; undefined when there are none. */
  names: RegExp | undefined;
  /** names + table-position keywords. */
  any: RegExp;
}

const cache = new WeakMap<ReadonlySet<string>, Map<string, Patterns>>();

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patternsFor(opts: ScanOptions): Patterns {
  let byProject = cache.get(opts.knownDatasets);
  if (byProject === undefined) cache.set(opts.knownDatasets, (byProject = new Map()));
  const key = opts.project ?? '';
  let p = byProject.get(key);
  if (p === undefined) {
    const names = [...opts.knownDatasets].filter((d) => d.length > 0).map(escape);
    if (opts.project) names.push(escape(opts.project));
    p = {
      names: names.length > 0 ? new RegExp(names.join('|'), 'i') : undefined,
      any: new RegExp([...names, ...TABLE_KEYWORDS].join('|'), 'i'),
    };
    byProject.set(key, p);
  }
  return p;
}

/** Whether `text` may hold a reference when read as `id` (undefined: assume SQL, the most permissive). */
export function mightContainRefs(text: string, opts: ScanOptions, id?: LanguageId): boolean {
  const p = patternsFor(opts);
  const kind = id === undefined ? 'sql' : language(id).prefilter;
  if (kind === 'names') return p.names !== undefined && p.names.test(text);
  if (kind === 'sql' && (text.includes('`') || text.includes('['))) return true;
  return p.any.test(text);
}
