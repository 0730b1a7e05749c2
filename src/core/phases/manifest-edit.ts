/** Until CORE's src/core/manifest/edit.ts lands: the same contract, jsonc-parser's comment-preserving modify. */
import * as jsonc from 'jsonc-parser';

export function setMappingField(text: string, index: number, field: 'to' | 'status' | 'note' | 'shimmedOn', value: string | undefined): string {
  const edits = jsonc.modify(text, ['mappings', index, field], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: text.includes('\r\n') ? '\r\n' : '\n' } });
  return jsonc.applyEdits(text, edits);
}
