/**
 * Every VSIX `npm run package -- --all-targets` builds on this one machine: the native files
 * inside each are read and checked for format and architecture (Mach-O arm64 / x86-64, ELF
 * x86-64 / aarch64, PE x86-64), no other platform's binding is inside, the manifest names the
 * target; the universal VSIX has no native file, and its CLI, asked for the local warehouse,
 * says it is not there and what to do. Installing the linux-x64 one into VS Code is
 * test/host/run-vsix.ts (npm test runs it after this suite).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import * as yauzl from 'yauzl';
import { legacyProject, packDir, readmeSnippet, ROOT, sh, shellCommands, tempDir } from './helpers';

interface Packager {
  VSIX_TARGETS: Record<string, string>;
  UNIVERSAL: string;
  vsixName(target: string): string;
  buildProduction(): void;
  packageTarget(target: string, out: string, log?: (l: string) => void): { bytes: number };
}

interface Entry {
  name: string;
  head: Buffer;
}

/** Every file of a zip with its first 4 KiB. */
function readZip(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const entries: Entry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            if (size < 4096) chunks.push(c);
            size += c.length;
          });
          stream.on('end', () => {
            entries.push({ name: entry.fileName, head: Buffer.concat(chunks).subarray(0, 4096) });
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.readEntry();
    });
  });
}

/** "ELF x86-64", "Mach-O arm64", "PE x86-64", … or undefined for a file that is not native code. */
export function nativeFormat(b: Buffer): string | undefined {
  if (b.length >= 20 && b[0] === 0x7f && b.toString('latin1', 1, 4) === 'ELF') {
    const machine = b.readUInt16LE(18);
    return `ELF ${({ 0x3e: 'x86-64', 0xb7: 'aarch64', 0x03: 'x86', 0x28: 'arm' } as Record<number, string>)[machine] ?? `machine 0x${machine.toString(16)}`}`;
  }
  if (b.length >= 8 && b.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = b.readUInt32LE(4);
    return `Mach-O ${({ 0x01000007: 'x86-64', 0x0100000c: 'arm64' } as Record<number, string>)[cpu] ?? `cpu 0x${cpu.toString(16)}`}`;
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) {
    // A fat binary: the architectures it holds, from its fat_arch table (big-endian).
    const n = b.readUInt32BE(4);
    const archs: string[] = [];
    for (let i = 0; i < n && 8 + i * 20 + 4 <= b.length; i++) {
      const cpu = b.readUInt32BE(8 + i * 20);
      archs.push(({ 0x01000007: 'x86-64', 0x0100000c: 'arm64' } as Record<number, string>)[cpu] ?? `cpu 0x${cpu.toString(16)}`);
    }
    return `Mach-O universal ${archs.join('+')}`;
  }
  if (b.length >= 64 && b.toString('latin1', 0, 2) === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = b.readUInt16LE(pe + 4);
      return `PE ${({ 0x8664: 'x86-64', 0xaa64: 'arm64', 0x14c: 'x86' } as Record<number, string>)[machine] ?? `machine 0x${machine.toString(16)}`}`;
    }
  }
  return undefined;
}

const EXPECTED: Record<string, string> = {
  'darwin-arm64': 'Mach-O arm64',
  'darwin-x64': 'Mach-O x86-64',
  'linux-x64': 'ELF x86-64',
  'linux-arm64': 'ELF aarch64',
  'win32-x64': 'PE x86-64',
};

let packager: Packager;
const built = new Map<string, { file: string; bytes: number; entries: Entry[] }>();

before(async () => {
  packager = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'package.mjs')).href)) as Packager;
  const dir = path.join(packDir(), 'vsix');
  fs.mkdirSync(dir, { recursive: true });
  const targets = [...Object.keys(packager.VSIX_TARGETS), packager.UNIVERSAL];
  if (targets.some((t) => !fs.existsSync(path.join(dir, packager.vsixName(t))))) packager.buildProduction();
  for (const t of targets) {
    const file = path.join(dir, packager.vsixName(t));
    if (!fs.existsSync(file)) packager.packageTarget(t, file, (l) => console.log(`# ${l}`));
    built.set(t, { file, bytes: fs.statSync(file).size, entries: await readZip(file) });
  }
});

describe('VSIX per platform', () => {
  test('the targets are the platforms DuckDB publishes bindings for, each with its expected format', () => {
    assert.deepEqual(Object.keys(packager.VSIX_TARGETS).sort(), Object.keys(EXPECTED).sort());
  });

  for (const target of Object.keys(EXPECTED)) {
    test(`${target}: its DuckDB binding is ${EXPECTED[target]}, and nothing native of another platform is inside`, () => {
      const { entries, bytes, file } = built.get(target)!;
      const native = entries.map((e) => ({ name: e.name, format: nativeFormat(e.head) })).filter((e) => e.format);
      const binding = `extension/node_modules/${packager.VSIX_TARGETS[target]}/duckdb.node`;
      assert.ok(native.some((e) => e.name === binding), `${binding} is in ${path.basename(file)} (native files: ${JSON.stringify(native)})`);
      assert.equal(native.find((e) => e.name === binding)!.format, EXPECTED[target], `${binding}`);
      // DuckDB ships libduckdb.dylib as one universal (x86-64 + arm64) library for both Macs.
      const arch = EXPECTED[target]!.split(' ')[1]!;
      for (const e of native) {
        const ok = e.format === EXPECTED[target] || (target.startsWith('darwin') && e.format!.startsWith('Mach-O universal') && e.format!.split(' ')[2]!.split('+').includes(arch));
        assert.ok(ok, `${e.name} in the ${target} VSIX is ${e.format}, expected ${EXPECTED[target]}`);
      }
      const others = entries.filter((e) => /node_modules\/@duckdb\/node-bindings-/.test(e.name) && !e.name.includes(`/${packager.VSIX_TARGETS[target]}/`));
      assert.deepEqual(others.map((e) => e.name), [], 'no other platform binding');
      const manifest = entries.find((e) => e.name === 'extension.vsixmanifest')!.head.toString('utf8');
      assert.match(manifest, new RegExp(`TargetPlatform="${target}"`), 'the VSIX manifest names its target');
      console.log(`# ${path.basename(file)}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${entries.length} files, ${native.map((e) => `${path.basename(e.name)} (${e.format})`).join(', ')}`);
    });
  }

  test('universal: no native file, no DuckDB, no target platform, and the bundles and CLI are there', () => {
    const { entries, bytes, file } = built.get(packager.UNIVERSAL)!;
    const native = entries.filter((e) => nativeFormat(e.head));
    assert.deepEqual(native.map((e) => e.name), []);
    assert.deepEqual(entries.filter((e) => e.name.includes('node_modules/')).map((e) => e.name), []);
    for (const f of ['extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/lint-cli.js', 'extension/dist/lint-client.js', 'extension/dist/lint-worker.js', 'extension/dist/sql-parser-cst.js', 'extension/dist/lezer-python.js', 'extension/dist/bigquery-client.js', 'extension/dist/data-transfer-client.js', 'extension/media/icon.png']) {
      assert.ok(entries.some((e) => e.name === f), `${f} in ${path.basename(file)}`);
    }
    assert.doesNotMatch(entries.find((e) => e.name === 'extension.vsixmanifest')!.head.toString('utf8'), /TargetPlatform=/);
    console.log(`# ${path.basename(file)}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${entries.length} files`);
  });

  test('universal: asking its CLI for the local warehouse says DuckDB is not in this build and what to do', () => {
    const dir = tempDir('bqm-universal-');
    const unzip = sh(process.execPath, ['-e', `
      const yauzl = require(${JSON.stringify(require.resolve('yauzl'))});
      const fs = require('fs'), path = require('path');
      yauzl.open(process.argv[1], { lazyEntries: true }, (e, zip) => {
        if (e) throw e;
        zip.on('entry', (en) => {
          const out = path.join(process.argv[2], en.fileName);
          if (en.fileName.endsWith('/')) return zip.readEntry();
          fs.mkdirSync(path.dirname(out), { recursive: true });
          zip.openReadStream(en, (err, s) => { if (err) throw err; s.pipe(fs.createWriteStream(out)).on('finish', () => zip.readEntry()); });
        });
        zip.readEntry();
      });`, built.get(packager.UNIVERSAL)!.file, dir]);
    assert.equal(unzip.status, 0, unzip.all);
    const project = tempDir('bqm-universal-project-');
    legacyProject(project);
    const cli = path.join(dir, 'extension', 'dist', 'cli.js');
    const r = sh(process.execPath, ['-e', `require(${JSON.stringify(cli)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'query', 'SELECT 1 AS one'], { cwd: project, env: { NODE_PATH: '' } });
    assert.notEqual(r.status, 0, r.all);
    assert.match(r.all, /the local warehouse \(DuckDB\) is not available in this build of bqmigrate/);
    assert.match(r.all, /--backend bigquery/);
    assert.match(r.all, /darwin-arm64, darwin-x64, linux-x64, linux-arm64, win32-x64/);
    // Linting needs no warehouse: it works from the universal build.
    const lint = sh(process.execPath, ['-e', `require(${JSON.stringify(cli)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'lint', '.'], { cwd: project });
    assert.equal(lint.status, 1, lint.all);
    assert.match(lint.stdout, /legacy-reference/);
  });

  test('the README\'s install command names a VSIX this build produces', () => {
    const [install] = shellCommands(readmeSnippet('install-vsix'));
    const m = /^code --install-extension (\S+\.vsix)$/.exec(install ?? '');
    assert.ok(m, `README install-vsix snippet: ${install}`);
    assert.ok([...built.values()].some((b) => path.basename(b.file) === m![1]), `${m![1]} is one of ${[...built.values()].map((b) => path.basename(b.file)).join(', ')}`);
  });
});
