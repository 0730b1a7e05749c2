/**
 * Plain text (Markdown, YAML, JSON, shell, everything else): no code to parse, so the whole text is one
 * region and only known-dataset / own-project paths (and quoted or bracketed forms of them) count.
 * Suppression directives are found in `<!-- … -->`, `#`, `//`, `--`, `/* … *\/` and `;` comments.
 */
import { Ch, isSpace } from './chars';
import { Mode } from './path-parser';
import type { Recogniser } from './recogniser';
import { lineEnd } from './sql';
import type { SuppressionCollector } from './suppressions';

const OPENERS = ['<!--', '#', '//', '--', '/*', ';'];

export function lexPlain(text: string, rec: Recogniser, sup: SuppressionCollector): void {
  rec.scan(0, text.length, Mode.Plain);
  for (let at = text.indexOf('<!--'); at >= 0; at = text.indexOf('<!--', at + 4)) {
    const close = text.indexOf('-->', at + 4);
    const bodyEnd = close < 0 ? text.length : close;
    sup.comment(at, close < 0 ? text.length : close + 3, at + 4, bodyEnd);
    if (close < 0) break;
    at = close - 1;
  }
  for (let at = text.indexOf('bqmigrate-disable'); at >= 0; at = text.indexOf('bqmigrate-disable', at + 17)) lineComment(text, at, sup);
}

/** A directive on a `#`, `//`, `--`, `/*` or `;` comment line (HTML comments are handled above). */
function lineComment(text: string, at: number, sup: SuppressionCollector): void {
  let i = at;
  while (i > 0 && (text.charCodeAt(i - 1) === Ch.Space || text.charCodeAt(i - 1) === Ch.Tab)) i--;
  for (const opener of OPENERS) {
    const s = i - opener.length;
    if (opener === '<!--' || s < 0 || !text.startsWith(opener, s)) continue;
    if (s > 0 && !isSpace(text.charCodeAt(s - 1))) continue;
    let end = lineEnd(text, at, text.length);
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
