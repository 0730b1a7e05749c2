// Bundles the extension, the CLI (and `lint` alone), the lint worker, the dashboard webview, the BigQuery
// and Data Transfer clients, and the column rules' parsers.
// Native and heavyweight libraries stay external; @google-cloud/bigquery is bundled
// into its own file so the extension loads it only when a warehouse is touched, and the
// Data Transfer client (scheduled queries) into another, loaded only when those are touched.
// sql-parser-cst (3.5 MB, the column rules' SQL grammar) and @lezer/python (210 KB, their Python
// grammar: 40 % of the lint worker) are files of their own too: every bundle that contained them paid
// for reading and compiling them at start-up, and only a manifest with column mappings parses.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** The parsers columns/parsers.ts requires on first use, each bundled into the file of its name in dist/. */
const PARSERS = { 'sql-parser-cst': 'sql-parser-cst', '@lezer/python': 'lezer-python' };

/** `require('sql-parser-cst')`, `require('@lezer/python')` load dist/sql-parser-cst.js, dist/lezer-python.js beside the bundle. */
const parsersApart = {
  name: 'parsers-apart',
  setup(build) {
    const names = Object.keys(PARSERS).map((m) => m.replace(/[/.]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: `./${PARSERS[args.path]}.js`, external: true }));
  },
};

const nodeCommon = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build requires './impl/*' at run time, which a bundle cannot resolve; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', './bigquery-client.js', './data-transfer-client.js'],
  plugins: [parsersApart],
};

const builds = [
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  // `bqmigrate lint` alone (bin/bqmigrate.js loads it for lint): a warm `lint --cache` is mostly start-up.
  // Without comments it is ASCII, which node reads into a one-byte string (the comments' dashes and arrows
  // made a two-byte copy of the whole bundle); the source map still maps it.
  { ...nodeCommon, minifyWhitespace: true, entryPoints: { 'lint-cli': 'src/cli/lint-main.ts' }, outdir: 'dist' },
  // The lint pool's worker threads load this slim bundle (no zod, no manifest parser) instead of dist/cli.js.
  { ...nodeCommon, entryPoints: { 'lint-worker': 'src/core/lint/worker.ts' }, outdir: 'dist' },
  // What bin/bqmigrate.js loads first for `lint`: hands the run to a lint server when one runs (node's modules only).
  { ...nodeCommon, minifyWhitespace: true, entryPoints: { 'lint-client': 'src/cli/lint-server/client.ts' }, outdir: 'dist' },
  ...Object.entries(PARSERS).map(([module, file]) => ({ ...nodeCommon, plugins: [], entryPoints: { [file]: module }, outdir: 'dist' })),
];
if (existsSync('src/extension/extension.ts')) {
  builds.push({ ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' });
}
if (existsSync('src/core/warehouse/bigquery-client.ts')) {
  builds.push({ ...nodeCommon, entryPoints: { 'bigquery-client': 'src/core/warehouse/bigquery-client.ts' }, outdir: 'dist' });
}
if (existsSync('src/core/warehouse/data-transfer-client.ts')) {
  // The Data Transfer Service client (scheduled queries), loaded only when they are read or changed.
  builds.push({ ...nodeCommon, entryPoints: { 'data-transfer-client': 'src/core/warehouse/data-transfer-client.ts' }, outdir: 'dist' });
}
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'esm',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    loader: { '.ttf': 'file', '.css': 'css' },
  });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
