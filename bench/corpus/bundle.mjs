// Bundles TypeScript modules of the repository into one CommonJS file with esbuild, the way esbuild.mjs builds the
// CLI, and loads it: the benchmarks and the differential check call the core in-process through this.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Bundles `lines` (export statements, paths relative to the repository root) into `outfile` and requires it. */
export async function bundleAndLoad(lines, outfile) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    stdin: { contents: lines.join('\n'), resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings'],
    mainFields: ['module', 'main'], // jsonc-parser's UMD build hides its requires from the bundler
    logLevel: 'warning',
  });
  await esbuild.stop(); // its service process would otherwise stay alive beside the measurements
  return createRequire(import.meta.url)(outfile);
}
