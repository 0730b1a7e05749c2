/** The repository root (the folder holding package.json), from .ts sources and from tsc's out/ alike. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    // tsc copies package.json into out/, so require esbuild.mjs too: only the real root has it.
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.mjs'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no bqmigrate package.json above ${__dirname}`);
    dir = parent;
  }
}

export const exampleManifest = () => path.join(repoRoot(), 'examples', 'cbi-warehouse', 'bqmigrate.json');
