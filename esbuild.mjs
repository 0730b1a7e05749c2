// Bundles six entry points: the extension, the CLI, the lint worker, the dashboard webview, and the
// BigQuery and Data Transfer clients.
// Native and heavyweight libraries stay external; @google-cloud/bigquery is bundled
// into its own file so the extension loads it only when a warehouse is touched, and the
// Data Transfer client (scheduled queries) into another, loaded only when those are touched.
// sql-parser-cst (3.5 MB, the column rules' SQL grammar) is its own file too: every bundle that
// contained it paid for compiling it at start-up, and only a manifest with column mappings parses SQL.
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

/** `require('sql-parser-cst')` (columns/parsers.ts, on first use) loads dist/sql-parser-cst.js beside the bundle. */
const sqlParserApart = {
  name: 'sql-parser-cst-apart',
  setup(build) {
    build.onResolve({ filter: /^sql-parser-cst$/ }, () => ({ path: './sql-parser-cst.js', external: true }));
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
  plugins: [sqlParserApart],
};

const builds = [
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  // `bqmigrate lint` alone (bin/bqmigrate.js loads it for lint): a warm `lint --cache` is mostly start-up.
  // Without comments it is ASCII, which node reads into a one-byte string (the comments' dashes and arrows
  // made a two-byte copy of the whole bundle); the source map still maps it.
  { ...nodeCommon, minifyWhitespace: true, entryPoints: { 'lint-cli': 'src/cli/lint-main.ts' }, outdir: 'dist' },
  // The lint pool's worker threads load this slim bundle (no zod, no manifest parser) instead of dist/cli.js.
  { ...nodeCommon, entryPoints: { 'lint-worker': 'src/core/lint/worker.ts' }, outdir: 'dist' },
  { ...nodeCommon, plugins: [], entryPoints: { 'sql-parser-cst': 'sql-parser-cst' }, outdir: 'dist' },
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
