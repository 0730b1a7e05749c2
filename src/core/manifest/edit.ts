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

function mappingCount(text: string): number {
  const tree = jsonc.parseTree(text, [], { allowTrailingComma: true });
  const node = tree && jsonc.findNodeAtLocation(tree, ['mappings']);
  return node?.type === 'array' ? node.children?.length ?? 0 : 0;
}

/** Sets (or with `undefined` removes) one field of mappings[index]. */
export function setMappingField(text: string, index: number, field: MappingField, value: string | undefined): string {
  return withoutBom<string>(text, (body) => {
    const count = mappingCount(body);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`mappings[${index}] does not exist (the manifest has ${count} mapping${count === 1 ? '' : 's'})`);
    const edits = jsonc.modify(body, ['mappings', index, field], value, { formattingOptions: formattingOf(body) });
    return jsonc.applyEdits(body, edits);
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

/** Appends entries to `mappings` (creating it when missing), one compact line each. */
export function addMappings(text: string, entries: readonly (Partial<Mapping> & { from: string })[]): string {
  if (entries.length === 0) return text;
  return withoutBom<string>(text, (body) => {
    const formatting = formattingOf(body);
    let out = body;
    for (let i = 0; i < entries.length; i++) {
      const marker = `__bqmigrate_new_mapping_${i}__`;
      const edits = jsonc.modify(out, ['mappings', -1], marker, { formattingOptions: formatting, isArrayInsertion: true });
      out = jsonc.applyEdits(out, edits);
      out = out.replace(JSON.stringify(marker), JSON.stringify(mappingForManifest(entries[i]!)).replace(/,"/g, ', "').replace(/":/g, '": ').replace(/^\{/, '{ ').replace(/\}$/, ' }'));
    }
    return out;
  });
}
