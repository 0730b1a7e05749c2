/**
 * The prefilter's specification as regular expressions over a text (or the latin1 view of its UTF-8 bytes):
 * the reference the byte loop of src/core/scan/prefilter.ts is tested against (same answer on every text),
 * and what it is measured against. Slow (V8's case-insensitive search), so never used by the linter.
 */
import { isWord } from '../../src/core/scan/chars';
import { TABLE_KEYWORDS } from '../../src/core/scan/keywords';
import { language } from '../../src/core/scan/languages';
import type { LanguageId, ScanOptions } from '../../src/core/scan/types';

/**
 * What may stand between a table keyword and its path in a string while keeping table position: spaces,
 * commas, names (with the `-`, `:`, `@`, `*` a path may hold after a name character), quoted names, `[`
 * (a legacy `[p:d.t]`, not an index after a name) and `]`, escapes. Any other character ends it.
 */
const GAP = String.raw`(?:[\t\n\v\f\r ,\w\x60\]\x80-\uffff]|(?<=[\w\x80-\uffff])[\-:@*]|(?<![\w\x80-\uffff])\[|\\[\s\S])*`;
/** A path's inner dot (before what parsePath reads as the next part) or a placeholder's opener or closer. */
const TRIGGER = String.raw`(?:\.[\w\x60\\*{$<%]|[{}$%<>])`;
/**
 * A table keyword followed by a space, a backtick or an escape, or by a dot and a backtick (a path whose quoted
 * part does not close leaves the keyword standing alone); what comes before it is checked by `startsWord`.
 */
const KEYWORD = String.raw`(?:${TABLE_KEYWORDS.join('|')})(?=[\t\n\v\f\r \x60\\]|\.\\?\x60)`;
/** After a known name in a path: a dot and the next part, a closing backtick, an escape, a bq-cli colon (group 2); else a quote (a split field's value). */
const NAME_END = String.raw`(?=(\.[\w\x60\\*{$<%]|[\x60\\:])|["'])`;
/** A field or call that can hold a split reference's dataset (split.ts `maySplit`), any character class widened to non-ASCII. */
const DATASET_FIELD = /(?:ataset|ATASET)(?:_?[Ii][Dd]|_?[Nn]ame|_ID|_NAME)?["']?[\s\x80-\uffff]*[:=(]|DatasetReference/;

interface Patterns {
  names: RegExp | undefined;
  strings: RegExp;
  any: RegExp;
  asciiOnly: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternsFor(opts: ScanOptions): Patterns {
  const raw = [...opts.knownDatasets].filter((d) => d.length > 0);
  if (opts.project) raw.push(opts.project);
  const names = raw.map(escape);
  const tablePath = KEYWORD + GAP + TRIGGER;
  return {
    names: names.length > 0 ? new RegExp(names.join('|'), 'i') : undefined,
    strings: new RegExp(names.length > 0 ? `(${names.join('|')})${NAME_END}|${tablePath}` : tablePath, 'gi'),
    any: new RegExp([...names, ...TABLE_KEYWORDS].join('|'), 'i'),
    asciiOnly: raw.every((n) => /^[\x00-\x7f]*$/.test(n)),
  };
}

/** A name starts at i: after a non-name character, or after a `\n`, `\t` or `\r` escape inside a string. */
function startsWord(view: string, i: number): boolean {
  const p = i > 0 ? view.charCodeAt(i - 1) : 0x20;
  if (!isWord(p)) return true;
  return (p === 0x6e || p === 0x74 || p === 0x72) && i >= 2 && view.charCodeAt(i - 2) === 0x5c;
}

/** The prefilter's answer for a text (or the latin1 view of its bytes) read as `id`. */
export function regexGate(view: string, opts: ScanOptions, id?: LanguageId): boolean {
  return compiledRegexGate(opts)(view, id);
}

/** `regexGate` with its patterns built once per options (for measuring the search, not the compiling). */
export function compiledRegexGate(opts: ScanOptions): (view: string, id?: LanguageId) => boolean {
  const p = patternsFor(opts);
  return (view, id) => {
    if (!p.asciiOnly) return true;
    const kind = id === undefined ? 'sql' : language(id).prefilter;
    if (kind === 'sql') return view.includes('`') || view.includes('[') || p.any.test(view);
    if (kind === 'names') return p.names !== undefined && p.names.test(view);
    const re = p.strings;
    let fields: boolean | undefined;
    re.lastIndex = 0;
    for (let m = re.exec(view); m !== null; m = re.exec(view)) {
      const name = m[1] !== undefined;
      if (name && m[2] === undefined) fields ??= DATASET_FIELD.test(view);
      if (name ? m[2] !== undefined || fields : startsWord(view, m.index)) return true;
      re.lastIndex = m.index + 1;
    }
    return false;
  };
}
