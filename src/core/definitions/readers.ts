/**
 * Which pulled definitions still name an object: drop-shims asks before it drops a shim (a view
 * or scheduled query that still reads the legacy name breaks the day the shim goes). A file's own
 * CREATE name does not count; a scheduled query's destination does (it would write there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from '../lint/linter';
import type { LoadedManifest } from '../manifest/load';
import { LineIndex } from '../text/positions';
import { parseDefinitionStatement } from './ddl';
import { definitionsDir, listDefinitionFiles, normalizeFileText, SCHEDULED_DIR } from './files';
import { definitionReads, readKey } from './graph';

export interface PulledReader {
  /** Relative to the manifest folder. */
  file: string;
  line: number;
  column: number;
}

/** `dataset.name` → the pulled files (with line and column) that name it. */
export function pulledReaders(loaded: LoadedManifest): Map<string, PulledReader[]> {
  const dir = definitionsDir(loaded);
  const linter = createLinter(loaded);
  const out = new Map<string, PulledReader[]>();
  for (const rel of listDefinitionFiles(dir)) {
    let text: string;
    try {
      text = normalizeFileText(fs.readFileSync(path.join(dir, rel), 'utf8'));
    } catch {
      continue;
    }
    const scheduled = rel.split(path.sep)[0] === SCHEDULED_DIR;
    const parsed = scheduled ? undefined : parseDefinitionStatement(text);
    const skip = parsed?.ok ? { start: parsed.parsed.nameAt, end: parsed.parsed.nameAt + 1 } : undefined;
    const index = new LineIndex(text);
    for (const r of definitionReads(text, linter, loaded.manifest.project, { comments: scheduled, ...(skip ? { skip } : {}) })) {
      // A file that does not parse still names what it names; only its own CREATE name is left out.
      if (!skip && !scheduled && /^\s*CREATE\b/i.test(text.slice(0, r.start).split('\n').pop() ?? '')) continue;
      const pos = index.positionAt(r.start);
      const key = readKey(r.dataset, r.name);
      out.set(key, [...(out.get(key) ?? []), { file: path.relative(loaded.root, path.join(dir, rel)), line: pos.line + 1, column: pos.character + 1 }]);
    }
  }
  return out;
}

export function formatReaders(readers: readonly PulledReader[]): string {
  const shown = readers.slice(0, 5).map((r) => `${r.file}:${r.line}:${r.column}`);
  return `${shown.join(', ')}${readers.length > 5 ? ` and ${readers.length - 5} more` : ''}`;
}
