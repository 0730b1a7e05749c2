/**
 * Plain text and prose (everything without its own row, Markdown outside fences, unknown heredoc bodies):
 * no code to parse, so the region is read as one, and only known-dataset / own-project paths (and quoted
 * or bracketed forms of them) count. Suppression directives are found in `<!-- … -->`, `#`, `//`, `--`,
 * `/* … *\/` and `;` comments.
 */
import { Ch, isSpace } from './chars';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import type { SuppressionCollector } from './suppressions';
import { lineEnd } from './sql';

const OPENERS = ['#', '//', '--', '/*', ';'];

export function lexPlain(ctx: LexContext, from: number, to: number): void {
  const { text, rec, sup } = ctx;
  rec.scan(from, to, Mode.Plain);
  // searched in the region only (a slice shares the text's memory), so many regions of one text stay linear
  const region = from === 0 && to === text.length ? text : text.slice(from, to);
  for (let k = region.indexOf('<!--'); k >= 0; k = region.indexOf('<!--', k + 4)) {
    const at = from + k;
    const close = region.indexOf('-->', k + 4);
    const bodyEnd = close < 0 ? to : from + close;
    sup.comment(at, close < 0 ? to : bodyEnd + 3, at + 4, bodyEnd);
    if (close < 0) break;
    k = close - 1;
  }
  for (let k = region.indexOf('bqmigrate-disable'); k >= 0; k = region.indexOf('bqmigrate-disable', k + 17)) lineComment(text, from + k, to, sup);
}

/** A directive on a `#`, `//`, `--`, `/*` or `;` comment line (HTML comments are handled above). */
function lineComment(text: string, at: number, to: number, sup: SuppressionCollector): void {
  let i = at;
  while (i > 0 && (text.charCodeAt(i - 1) === Ch.Space || text.charCodeAt(i - 1) === Ch.Tab)) i--;
  for (const opener of OPENERS) {
    const s = i - opener.length;
    if (s < 0 || !text.startsWith(opener, s)) continue;
    if (s > 0 && !isSpace(text.charCodeAt(s - 1))) continue;
    let end = lineEnd(text, at, to);
    let bodyEnd = end;
    if (opener === '/*') {
      const close = text.slice(at, end).indexOf('*/') + at;
      if (close >= at) {
        bodyEnd = close;
        end = close + 2;
      }
    }
    sup.comment(s, end, s + opener.length, bodyEnd);
    return;
  }
}
