/**
 * Comment-preserving edits of bqmigrate.json with jsonc-parser: only the
 * touched value changes; comments, order and the rest of the formatting stay.
 * New mapping entries are written one per line, like hand-written ones.
 */
import * as jsonc from 'jsonc-parser';
import type { Mapping } from './schema';

export type MappingField = 'to' | 'status' | 'note' | 'shimmedOn';

function formattingOf(text: string): jsonc.FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function withoutBom<T>(text: string, edit: (body: string) => T extends string ? string : never): string {
  const bom = text.charCodeAt(0) === 0xfeff;
  const out = edit(bom ? text.slice(1) : text);
  return bom ? `\ufeff${out}` : out;
}

function mappingsNode(text: string): jsonc.Node | undefined {
  const tree = jsonc.parseTree(text, [], { allowTrailingComma: true });
  const node = tree && jsonc.findNodeAtLocation(tree, ['mappings']);
  return node?.type === 'array' ? node : undefined;
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Where to continue after `end` on its line: past a trailing line comment, so that comment stays with its element. */
function afterTrailingComment(text: string, end: number): number {
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  return /^\s*(?:\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(end, lineEnd)) ? lineEnd : end;
}

const splice = (text: string, start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);

/** Sets (or with `undefined` removes) one field of mappings[index], touching only that field's text. */
export function setMappingField(text: string, index: number, field: MappingField, value: string | undefined): string {
  return withoutBom<string>(text, (body) => {
    const arr = mappingsNode(body);
    const count = arr?.children?.length ?? 0;
    if (!arr || !Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`mappings[${index}] does not exist (the manifest has ${count} mapping${count === 1 ? '' : 's'})`);
    const entry = arr.children![index]!;
    if (entry.type !== 'object') throw new TypeError(`mappings[${index}] is not an object`);
    const props = entry.children ?? [];
    const at = props.findIndex((p) => p.children?.[0]?.value === field);
    if (value === undefined) {
      if (at < 0) return body;
      const prop = props[at]!;
      if (at > 0) return splice(body, props[at - 1]!.offset + props[at - 1]!.length, prop.offset + prop.length, '');
      if (props.length > 1) return splice(body, prop.offset, props[1]!.offset, '');
      return splice(body, prop.offset, prop.offset + prop.length, '');
    }
    const json = JSON.stringify(value);
    if (at >= 0) {
      const v = props[at]!.children![1]!;
      return splice(body, v.offset, v.offset + v.length, json);
    }
    const member = `${JSON.stringify(field)}: ${json}`;
    if (props.length === 0) return splice(body, entry.offset, entry.offset + entry.length, `{ ${member} }`);
    const last = props[props.length - 1]!;
    const multiline = body.slice(entry.offset, entry.offset + entry.length).includes('\n');
    const eol = body.includes('\r\n') ? '\r\n' : '\n';
    return splice(body, last.offset + last.length, last.offset + last.length, multiline ? `,${eol}${indentOfLine(body, last.offset)}${member}` : `, ${member}`);
  });
}

/** The entry as written in the manifest: defaults left out, keys in a readable order. */
export function mappingForManifest(m: Partial<Mapping> & { from: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { from: m.from };
  if (m.to !== undefined) out.to = m.to;
  if (m.kind && m.kind !== 'table') out.kind = m.kind;
  if (m.status) out.status = m.status;
  for (const k of ['note', 'sql', 'shimmedOn', 'inventory'] as const) if (m[k] !== undefined) out[k] = m[k];
  return out;
}

/** One-line JSON with a space inside braces and after separators: `{ "from": "a.b", "status": "planned" }`. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`);
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** Appends entries to `mappings` (creating it when missing), one compact line each, after the last entry and its trailing comment. */
export function addMappings(text: string, entries: readonly (Partial<Mapping> & { from: string })[]): string {
  return appendMappingObjects(text, entries.map(mappingForManifest));
}

/** Appends entries already in manifest form (a column mapping's fields, say) to `mappings`, one compact line each. */
export function appendMappingObjects(text: string, objects: readonly Record<string, unknown>[]): string {
  let entries = objects;
  if (entries.length === 0) return text;
  return withoutBom<string>(text, (body) => {
    let out = body;
    const eol = out.includes('\r\n') ? '\r\n' : '\n';
    let arr = mappingsNode(out);
    if (!arr || !arr.children?.length) {
      // Missing or empty: let jsonc-parser create the array with the first entry, then continue below.
      const marker = '__bqmigrate_new_mapping__';
      out = jsonc.applyEdits(out, jsonc.modify(out, ['mappings'], [marker], { formattingOptions: formattingOf(out) }));
      out = out.replace(JSON.stringify(marker), oneLine(entries[0]!));
      entries = entries.slice(1);
      arr = mappingsNode(out)!;
      if (entries.length === 0) return out;
    }
    const last = arr.children![arr.children!.length - 1]!;
    const end = last.offset + last.length;
    const indent = indentOfLine(out, last.offset);
    const insertAt = afterTrailingComment(out, end);
    const lines = entries.map((e) => oneLine(e)).join(`,${eol}${indent}`);
    const hasComma = out[end] === ',';
    if (insertAt === end) return splice(out, end + (hasComma ? 1 : 0), end + (hasComma ? 1 : 0), `${hasComma ? '' : ','}${eol}${indent}${lines}${hasComma ? ',' : ''}`);
    return splice(splice(out, insertAt, insertAt, `${eol}${indent}${lines}`), end, end, hasComma ? '' : ',');
  });
}
