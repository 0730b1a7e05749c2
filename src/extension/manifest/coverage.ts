/**
 * Which workspace folders the manifest governs. The editor lints files under the manifest's folder
 * only (the CLI lints every path it is given); a folder outside it, or one the manifest covers only
 * in part, is said so in the status bar's tooltip, the output channel and `bqmigrate.internal.stats`,
 * never left silently unlinted. Free of vscode, so it is unit-tested without an editor.
 */
import * as path from 'node:path';

export interface FolderCoverage {
  name: string;
  fsPath: string;
  /** all: the folder lies in the manifest's folder; part: the manifest's folder lies in it; none: neither. */
  governed: 'all' | 'part' | 'none';
  /** One sentence for the user. */
  message: string;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function folderCoverage(folders: readonly { name: string; fsPath: string }[], manifestFile: string | undefined): FolderCoverage[] {
  return folders.map((f) => {
    if (manifestFile === undefined) return { ...f, governed: 'none', message: `${f.name}: no bqmigrate.json governs it; nothing is linted (create one with "bqmigrate: Create Manifest")` };
    const dir = path.dirname(manifestFile);
    if (inside(f.fsPath, dir)) return { ...f, governed: 'all', message: `${f.name}: governed by ${manifestFile}` };
    if (inside(dir, f.fsPath)) {
      const rel = path.relative(f.fsPath, dir).split(path.sep).join('/');
      return { ...f, governed: 'part', message: `${f.name}: only ${rel}/ is linted, governed by ${manifestFile}; files elsewhere in the folder are not` };
    }
    return { ...f, governed: 'none', message: `${f.name}: not linted — it lies outside ${dir}, the folder of the manifest in use (${manifestFile}); lint it with \`bqmigrate lint --manifest ${manifestFile} ${f.fsPath}\`, or set "bqmigrate.manifest" in that folder` };
  });
}
