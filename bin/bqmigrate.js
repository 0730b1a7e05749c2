#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by esbuild into dist/cli.js (built by `npm ci` through `prepare`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`bqmigrate: ${cli} is missing; run \`npm run build\` (or \`npm ci\`) in ${path.dirname(__dirname)} first.\n`);
  process.exit(2);
}
require(cli).main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`bqmigrate: internal error: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
