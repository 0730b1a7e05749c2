/**
 * How many pulled definitions still read legacy names, by kind: what the dashboard shows. Built
 * from (file, text, legacy reference count) entries, so the editor passes its live lint records and
 * the CLI-side gather lints the files on disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from '../lint/linter';
import { LEGACY_NAME_RULES } from '../rules/index';
import type { LoadedManifest } from '../manifest/load';
import type { DefinitionsSection } from '../../protocol/messages';
import { definitionsDir, listDefinitionFiles, normalizeFileText, SCHEDULED_DIR } from './files';

export type DefinitionFileKind = 'view' | 'materializedView' | 'routine' | 'scheduled';

/** The kind of a pulled file, from where it is and its CREATE line; undefined when it is neither. */
export function definitionFileKind(rel: string, text: string): DefinitionFileKind | undefined {
  if (rel.split(/[\\/]/)[0] === SCHEDULED_DIR) return 'scheduled';
  const m = /^\s*(?:--[^\n]*\n\s*)*CREATE\s+(?:OR\s+REPLACE\s+)?(MATERIALIZED\s+VIEW|VIEW|(?:AGGREGATE\s+|TABLE\s+)?FUNCTION|PROCEDURE)\b/i.exec(text);
  if (!m) return undefined;
  const k = m[1]!.toUpperCase();
  return k === 'VIEW' ? 'view' : k.startsWith('MATERIALIZED') ? 'materializedView' : 'routine';
}

export function buildDefinitionsSection(dir: string, entries: readonly { rel: string; text: string; legacy: number }[]): DefinitionsSection {
  const zero = () => ({ pulled: 0, legacy: 0 });
  const section: DefinitionsSection = { dir, views: zero(), materializedViews: zero(), routines: zero(), scheduled: zero(), files: [] };
  for (const e of entries) {
    const kind = definitionFileKind(e.rel, e.text);
    if (!kind) continue;
    section[kind === 'materializedView' ? 'materializedViews' : kind === 'view' ? 'views' : kind === 'routine' ? 'routines' : 'scheduled'].pulled++;
    if (e.legacy > 0) {
      section[kind === 'materializedView' ? 'materializedViews' : kind === 'view' ? 'views' : kind === 'routine' ? 'routines' : 'scheduled'].legacy++;
      section.files.push({ file: e.rel.split(path.sep).join('/'), kind, references: e.legacy });
    }
  }
  section.files.sort((a, b) => b.references - a.references || a.file.localeCompare(b.file));
  section.files = section.files.slice(0, 50);
  return section;
}

/** From the files on disk, linted with the manifest's rules. */
export function definitionsSectionFromDisk(loaded: LoadedManifest): DefinitionsSection {
  const dir = definitionsDir(loaded);
  const rel = path.relative(loaded.root, dir) || '.';
  const files = listDefinitionFiles(dir);
  if (files.length === 0) return buildDefinitionsSection(rel, []);
  const linter = createLinter(loaded);
  const entries = files.map((f) => {
    const text = normalizeFileText(fs.readFileSync(path.join(dir, f), 'utf8'));
    const legacy = linter.lintText(text, path.join(dir, f), 'sql').violations.filter((v) => LEGACY_NAME_RULES.has(v.ruleId)).length;
    return { rel: f, text, legacy };
  });
  return buildDefinitionsSection(rel, entries);
}
