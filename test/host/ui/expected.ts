/**
 * What the UI should show, computed without the editor: the core linter over the same
 * workspace copy (as the CLI does) and the mappings read from its bqmigrate.json.
 * A UI test compares the workbench against these, so the two paths check each other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFiles, loadManifestFile, type LoadedManifest, type Mapping } from '../../../src/core/index';
import { escape } from './workbench-actions';

function load(workspace: string): LoadedManifest {
  const r = loadManifestFile(path.join(workspace, 'bqmigrate.json'));
  if (!r.ok) throw new Error(`fixture manifest does not load: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.loaded;
}

/** Violations the core linter finds in the workspace: what the Problems panel must total. */
export async function expectedProblemCount(workspace: string): Promise<{ total: number; byFile: Map<string, number> }> {
  const byFile = new Map<string, number>();
  let total = 0;
  for await (const file of lintFiles([workspace], load(workspace), { workers: 0 })) {
    if (file.violations.length === 0) continue;
    byFile.set(path.relative(workspace, file.filePath), file.violations.length);
    total += file.violations.length;
  }
  return { total, byFile };
}

export function tableMappings(workspace: string): Mapping[] {
  return load(workspace).manifest.mappings.filter((m): m is Mapping => m.kind === 'table');
}

/** One rename the workspace fix makes, as the Refactor Preview lists it ("line 4, replacing A with B"). */
export interface ExpectedRename {
  line: number;
  from: string;
  to: string;
}

export interface ExpectedFileFix {
  /** Workspace-relative, with forward slashes. */
  file: string;
  before: string;
  after: string;
  renames: ExpectedRename[];
}

/** Every legacy → new table name a safe fix may write: migrated or archived table mappings with a `to`, variables expanded. */
export function safeTableRenames(workspace: string): Array<{ from: string; to: string }> {
  const { manifest } = load(workspace);
  const out: Array<{ from: string; to: string }> = [];
  for (const m of manifest.mappings) {
    // Planned mappings' fixes are unsafe, so the workspace fix leaves them out.
    if (m.kind !== 'table' || !m.to || (m.status !== 'migrated' && m.status !== 'archived')) continue;
    let pairs = [{ from: m.from, to: m.to }];
    for (const [name, values] of Object.entries(manifest.variables)) {
      const token = `{${name}}`;
      if (!pairs.some((p) => p.from.includes(token))) continue;
      pairs = pairs.flatMap((p) => values.map((v) => ({ from: p.from.replaceAll(token, v), to: p.to.replaceAll(token, v) })));
    }
    out.push(...pairs);
  }
  return out;
}

/**
 * What "Fix All Legacy References in Workspace" must do to each file, from bqmigrate.json
 * alone (not from the extension's or the linter's fixes): each `dataset.table` of a safe
 * rename, alone or after a project prefix, becomes its new name. The files are the ones
 * the core linter reads, so the manifest's `exclude` applies.
 */
export async function expectedWorkspaceFix(workspace: string): Promise<ExpectedFileFix[]> {
  const renames = safeTableRenames(workspace);
  const fixes: ExpectedFileFix[] = [];
  for await (const file of lintFiles([workspace], load(workspace), { workers: 0 })) {
    const before = fs.readFileSync(file.filePath, 'utf8');
    const found: Array<ExpectedRename & { index: number }> = [];
    for (const r of renames) {
      for (const m of before.matchAll(new RegExp(`(?<![\\w-])${escape(r.from)}(?![\\w-])`, 'g'))) {
        found.push({ index: m.index, line: before.slice(0, m.index).split('\n').length, from: r.from, to: r.to });
      }
    }
    if (found.length === 0) continue;
    found.sort((a, b) => a.index - b.index);
    let after = '';
    let pos = 0;
    for (const f of found) {
      after += before.slice(pos, f.index) + f.to;
      pos = f.index + f.from.length;
    }
    after += before.slice(pos);
    fixes.push({ file: path.relative(workspace, file.filePath).split(path.sep).join('/'), before, after, renames: found.map(({ line, from, to }) => ({ line, from, to })) });
  }
  return fixes.sort((a, b) => a.file.localeCompare(b.file));
}
