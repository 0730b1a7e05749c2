/**
 * What the UI should show, computed without the editor: the core linter over the same
 * workspace copy (as the CLI does) and the mappings read from its bqmigrate.json.
 * A UI test compares the workbench against these, so the two paths check each other.
 */
import * as path from 'node:path';
import { lintFiles, loadManifestFile, type LoadedManifest, type Mapping } from '../../../src/core/index';

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
  return load(workspace).manifest.mappings.filter((m) => m.kind === 'table');
}
