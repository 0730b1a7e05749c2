/**
 * Jupyter notebooks (.ipynb): each cell's source — a JSON array of escaped lines — is decoded and read by
 * the lexer of its language (the kernel's language for code cells, `%%bigquery` / `%%sql` cells as SQL,
 * `%%bash` cells as shell, Markdown cells as Markdown); every range is mapped back into the JSON text
 * and the reference marked `escape: 'json'` so a fix writes its text JSON-escaped and the notebook stays
 * valid JSON. Cell outputs are not read: they record what an earlier run printed, the next run writes
 * them again, and rewriting them would falsify that record. Everything else (metadata) is read as JSON.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { Ch } from './chars';
import { lexJson } from './json';
import type { LexContext } from './lexer';
import type { LanguageId, ScanResult, Span, TableRef } from './types';

export function lexNotebook(ctx: LexContext, from: number, to: number, kernelLanguage: (name: string) => LanguageId): void {
  const root = from === 0 && to === ctx.text.length ? parseTree(ctx.text) : undefined;
  const cells = root && findNodeAtLocation(root, ['cells']);
  if (!root || cells?.type !== 'array' || !cells.children) {
    lexJson(ctx, from, to);
    return;
  }
  const kernel = findNodeAtLocation(root, ['metadata', 'kernelspec', 'language'])?.value ?? findNodeAtLocation(root, ['metadata', 'language_info', 'name'])?.value;
  const codeLanguage = kernelLanguage(typeof kernel === 'string' ? kernel.toLowerCase() : 'python');
  const sources: { node: Node; language: LanguageId }[] = [];
  /** Sources and outputs: the JSON between them is read as JSON. */
  const cut: Node[] = [];
  for (const cell of cells.children) {
    const outputs = findNodeAtLocation(cell, ['outputs']);
    if (outputs) cut.push(outputs);
    const source = findNodeAtLocation(cell, ['source']);
    if (!source || (source.type !== 'array' && source.type !== 'string')) continue;
    const type = findNodeAtLocation(cell, ['cell_type'])?.value;
    sources.push({ node: source, language: type === 'markdown' ? 'markdown' : type === 'code' ? codeLanguage : 'plain' });
    cut.push(source);
  }
  cut.sort((a, b) => a.offset - b.offset);
  let pos = from;
  for (const node of cut) {
    lexJson(ctx, pos, node.offset);
    pos = node.offset + node.length;
  }
  lexJson(ctx, pos, to);
  for (const { node, language } of sources) {
    const cell = decodeCell(ctx.text, node);
    if (cell.text.length === 0) continue;
    mapInto(ctx, ctx.scanOther(cell.text, language === codeLanguage ? magicLanguage(cell.text, language) : language), cell);
  }
}

/** A cell's source decoded, with the JSON offsets each decoded UTF-16 unit came from. */
interface DecodedCell {
  text: string;
  rawStart: Int32Array;
  rawEnd: Int32Array;
}

function decodeCell(raw: string, source: Node): DecodedCell {
  const pieces = source.type === 'array' ? (source.children ?? []).filter((c) => c.type === 'string') : [source];
  let total = 0;
  for (const p of pieces) total += p.length;
  const rawStart = new Int32Array(total + 1);
  const rawEnd = new Int32Array(total + 1);
  let text = '';
  let n = 0;
  for (const p of pieces) {
    const end = p.offset + p.length - 1; // the closing quote
    for (let i = p.offset + 1; i < end; ) {
      const c = raw.charCodeAt(i);
      let unit = c;
      let width = 1;
      if (c === Ch.Backslash) {
        const e = raw.charCodeAt(i + 1);
        width = 2;
        if (e === 117 /* u */) {
          unit = parseInt(raw.slice(i + 2, i + 6), 16);
          width = 6;
        } else unit = ESCAPES[e] ?? e;
      }
      rawStart[n] = i;
      rawEnd[n] = i + width;
      n++;
      text += String.fromCharCode(unit);
      i += width;
    }
  }
  rawStart[n] = rawEnd[n] = n > 0 ? rawEnd[n - 1]! : source.offset;
  return { text, rawStart, rawEnd };
}

const ESCAPES: Record<number, number> = { 110: 10, 116: 9, 114: 13, 98: 8, 102: 12 };

/** `%%bigquery` / `%%sql` cells are SQL, `%%bash` / `%%sh` / `%%script bash` cells shell. */
function magicLanguage(cell: string, language: LanguageId): LanguageId {
  const m = /^\s*%%(\w+)(?:[ \t]+(\w+))?/.exec(cell);
  if (!m) return language;
  const magic = m[1]!.toLowerCase();
  if (magic === 'bigquery' || magic === 'sql' || magic === 'bq') return 'sql';
  if (magic === 'bash' || magic === 'sh' || (magic === 'script' && /^(ba|z)?sh$/.test(m[2] ?? ''))) return 'shell';
  return language;
}

function mapInto(ctx: LexContext, result: ScanResult, cell: DecodedCell): void {
  const map = (s: Span) => {
    const start = s.start < cell.text.length ? cell.rawStart[s.start]! : cell.rawEnd[cell.text.length]!;
    const end = s.end > s.start ? cell.rawEnd[s.end - 1]! : start;
    s.start = start;
    s.end = end;
  };
  for (const ref of result.refs as TableRef[]) {
    map(ref.range);
    for (const part of [ref.project, ref.dataset, ref.table]) {
      if (part === undefined) continue;
      map(part.range);
      for (const ph of part.placeholders) map(ph.range);
    }
    ref.escape = 'json';
    ctx.rec.refs.push(ref);
  }
  for (const c of result.comments) {
    map(c);
    ctx.sup.comments.push(c);
  }
  for (const s of result.suppressions) {
    map(s.range);
    s.line = ctx.sup.lineAt(s.range.start);
    ctx.sup.suppressions.push(s);
  }
}
