/**
 * The workspace scan on the lint pool and its lint cache in the workspace storage. A "restart" is a
 * second WorkspaceLinter built as activate() builds one (same manifest, settings and storage): its first
 * scan is what a window reload runs. Each is compared with a linter that has no storage (no cache): the
 * diagnostics must be the same. 60 generated files make the scan big enough to start worker threads.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAGIC } from '../../../src/core/lint/cache-file';
import { snapshotsPath } from '../../../src/core/progress/snapshots';
import type { ExtensionStats } from '../../../src/extension/context';
import { sumCounts, type ReferenceTotals } from '../../../src/extension/diagnostics/reference-counts';
import type { WorkspaceLinter } from '../../../src/extension/diagnostics/workspace-linter';
import { isScannedFolder, workspaceFiles, workspaceFilesIn } from '../../../src/extension/diagnostics/workspace-files';
import type { BqmigrateApi } from '../../../src/extension/extension';
import { api, idle, root, sleep, uri } from './ext-helpers';

const GENERATED = 'scan-cache-generated';
const GENERATED_FILES = 60;

type LinterClass = new (...args: ConstructorParameters<typeof WorkspaceLinter>) => WorkspaceLinter;

interface Started {
  linter: WorkspaceLinter;
  stats: ExtensionStats;
  lines: string[];
  warnings: string[];
}

describe('workspace scan and its lint cache', () => {
  let ext: BqmigrateApi;
  let savedSnapshots: string | undefined;
  const started: WorkspaceLinter[] = [];

  /** A linter as activate() builds one; with `cached` it shares the extension's workspace storage. */
  async function startLinter(cached: boolean): Promise<Started> {
    const ctx = ext.ctx;
    const lines: string[] = [];
    const warnings: string[] = [];
    const log = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => warnings.push(m),
      error: (m: string) => warnings.push(`error: ${m}`),
    } as unknown as vscode.LogOutputChannel;
    const stats: ExtensionStats = { documentLintMs: [], documentLints: [] };
    const Linter = ctx.linter.constructor as LinterClass;
    const linter = new Linter(ctx.manifest, ctx.settings, stats, log, cached ? ctx.linter.storage : undefined);
    started.push(linter);
    await linter.start();
    // A watcher event that arrives meanwhile (a .gitignore an earlier test made and removed) starts a scan
    // that supersedes the first: wait for the last one.
    await linter.whenIdle();
    assert.ok(stats.lastScan, `the scan did not complete; warnings: ${warnings.join('; ') || 'none'}`);
    return { linter, stats, lines, warnings };
  }

  /** Every diagnostic a linter published, as comparable text, by workspace-relative path. */
  function published(linter: WorkspaceLinter): Map<string, string[]> {
    const out = new Map<string, string[]>();
    linter.collection.forEach((u, ds) => {
      if (ds.length === 0) return;
      const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
      out.set(path.relative(root(), u.fsPath), ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${code(d)} ${d.message}${d.tags?.length ? ' deprecated' : ''}`));
    });
    return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  function cacheFile(): string {
    const storage = ext.ctx.linter.storage;
    assert.ok(storage, 'the extension has no workspace storage');
    return path.join(storage.dir, 'lintcache');
  }

  before(async () => {
    ext = await api();
    const snapshots = snapshotsPath(root());
    savedSnapshots = fs.existsSync(snapshots) ? fs.readFileSync(snapshots, 'utf8') : undefined;
    fs.mkdirSync(path.join(root(), GENERATED), { recursive: true });
    for (let i = 0; i < GENERATED_FILES; i++) {
      const name = path.join(root(), GENERATED, `g${String(i).padStart(2, '0')}.sql`);
      fs.writeFileSync(name, i % 3 === 0 ? `-- nothing here ${i}\nSELECT ${i};\n` : `-- generated ${i}\nSELECT * FROM models_v4.production_training_data_1m;\nSELECT * FROM models_v4.trump_rich_2023_2025 WHERE x = ${i};\n`);
    }
    await vscode.commands.executeCommand('bqmigrate.lintWorkspace');
    await idle();
  });

  afterEach(() => {
    for (const l of started.splice(0)) l.dispose();
  });

  after(async () => {
    fs.rmSync(path.join(root(), GENERATED), { recursive: true, force: true });
    await vscode.commands.executeCommand('bqmigrate.lintWorkspace');
    await idle();
    const snapshots = snapshotsPath(root());
    if (savedSnapshots === undefined) fs.rmSync(snapshots, { force: true });
    else fs.writeFileSync(snapshots, savedSnapshots);
  });

  it('the scan writes the lint cache to the workspace storage, and the worker threads lint as the host does', async () => {
    const bytes = fs.readFileSync(cacheFile());
    assert.ok(bytes.subarray(0, MAGIC.length).equals(MAGIC), `the CLI's cache format: ${JSON.stringify(bytes.subarray(0, MAGIC.length).toString('latin1'))}`);
    const uncached = await startLinter(false);
    assert.deepEqual(uncached.warnings, [], 'no lint worker stopped, nothing was skipped');
    assert.equal(uncached.stats.lastScan!.fromCache, 0);
    assert.ok(uncached.stats.lastScan!.linted >= GENERATED_FILES, `${uncached.stats.lastScan!.linted} files linted from disk`);
    const generated = [...published(uncached.linter).keys()].filter((k) => k.startsWith(GENERATED));
    assert.equal(generated.length, 40, 'every generated file with references has its diagnostics');
    // The extension's own linter (open documents from their text) publishes the same.
    const own = new Map<string, string[]>();
    for (const [k, v] of published(ext.ctx.linter)) own.set(k, v);
    assert.deepEqual(published(uncached.linter), own);
    assert.match(uncached.lines.join('\n'), /^workspace scan: \d+ files, 0 from cache, took \d+\.\d\d s: \d+ legacy references$/m);
  });

  it('a second full scan lints on the workers the first one started (kept warm), with the same diagnostics', async () => {
    const uncached = await startLinter(false);
    const first = uncached.stats.lastScan!;
    assert.ok(first.linted >= GENERATED_FILES && first.workersStarted > 0, `the first scan linted ${first.linted} files on ${first.workersStarted} new workers`);
    const before = published(uncached.linter);
    await uncached.linter.scanWorkspace();
    const second = uncached.stats.lastScan!;
    assert.notEqual(second, first, 'a second scan completed');
    assert.ok(second.linted >= GENERATED_FILES, `${second.linted} files linted again`);
    assert.equal(second.workersStarted, first.workersStarted, 'no lint worker was started for the second scan');
    assert.deepEqual(uncached.warnings, []);
    assert.deepEqual(published(uncached.linter), before);
  });

  it('after a restart every unchanged file comes from the cache, with the diagnostics of an uncached scan', async () => {
    await startLinter(true); // brings the cache up to date with whatever earlier tests changed
    const restarted = await startLinter(true);
    const scan = restarted.stats.lastScan!;
    assert.equal(scan.linted, 0, 'nothing was linted again');
    assert.ok(scan.fromCache >= GENERATED_FILES, `${scan.fromCache} files from the cache`); // open documents are linted from their text
    assert.match(restarted.lines.join('\n'), new RegExp(`^workspace scan: ${scan.files} files, ${scan.fromCache} from cache, took \\d+\\.\\d\\d s`, 'm'));
    assert.deepEqual(restarted.warnings, []);
    const uncached = await startLinter(false);
    assert.deepEqual(published(restarted.linter), published(uncached.linter));
    assert.equal(restarted.linter.totals().total, uncached.linter.totals().total);
    assert.deepEqual([...restarted.linter.totals().byMapping].sort(), [...uncached.linter.totals().byMapping].sort());
    // Find All References reads the cached references' ranges.
    const refs = (l: WorkspaceLinter) => l.referencesOf(0).map((r) => `${path.relative(root(), r.uri.fsPath)} ${r.range.start.line}:${r.range.start.character}-${r.range.end.character} ${r.from}`);
    assert.ok(refs(restarted.linter).length >= 40);
    assert.deepEqual(refs(restarted.linter), refs(uncached.linter));
    // Every file with findings was shown before the cached files without any were read: nothing was added after.
    assert.ok(scan.findingsAt <= scan.publishedAt);
    const shown = [...published(restarted.linter).values()];
    assert.deepEqual(scan.findingsShown, { files: shown.length, diagnostics: shown.reduce((n, ds) => n + ds.length, 0) });
    // And before the walk: every file with findings but the open documents (linted from their text as the walk meets them) came from the cache first.
    const cached = scan.cachedFindings;
    assert.ok(cached, 'the files with findings were shown from the cache before the walk');
    assert.ok(cached.at <= scan.findingsAt);
    const open = vscode.workspace.textDocuments.map((d) => restarted.linter.collection.get(d.uri)?.length ?? 0).filter((n) => n > 0);
    assert.deepEqual(cached.shown, { files: shown.length - open.length, diagnostics: scan.findingsShown.diagnostics - open.reduce((a, b) => a + b, 0) });
    // The running totals equal the files' counts added up afresh.
    const definitions = restarted.linter.definitionsFolder();
    const recount = sumCounts([...restarted.linter.files.values()].map((r) => ({ counts: r.counts, pulled: definitions !== undefined && r.uri.fsPath.startsWith(definitions) })));
    const key = (t: ReferenceTotals) => JSON.stringify([t.total, t.files, [...t.byMapping].sort(), [...t.warehouseByMapping].sort(), Object.entries(t.byDataset).sort(), [...t.columnsByMapping].sort()]);
    assert.equal(key(restarted.linter.totals()), key(recount));
  });

  it('a restart lists only the folders that changed: the others come from the walk cache, with the same diagnostics', async () => {
    // A folder's listing is kept only when its mtime is well before the listing (walk-cache.ts RACY_MS): age them all.
    const old = new Date(Date.now() - 3_600_000);
    const age = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') age(path.join(dir, e.name));
      fs.utimesSync(dir, old, old);
    };
    age(root());
    const first = await startLinter(true); // lists every folder and keeps what it decided
    assert.ok(fs.existsSync(`${cacheFile()}.folders`), 'the walk cache is kept beside the lint cache');
    assert.equal(first.stats.lastScan!.foldersFromCache, 0, 'the first scan after the folders aged lists them all');
    const added = path.join(root(), GENERATED, 'added-while-closed.sql');
    fs.writeFileSync(added, 'SELECT * FROM models_v4.production_training_data_1m;\n');
    try {
      const restarted = await startLinter(true);
      const scan = restarted.stats.lastScan!;
      assert.ok(scan.foldersFromCache > 0, 'unchanged folders are not listed again');
      assert.equal(scan.linted, 1, 'the file added to a listed folder is found and linted');
      assert.equal(scan.files, first.stats.lastScan!.files + 1);
      assert.ok(published(restarted.linter).has(path.relative(root(), added)), 'the added file shows its diagnostics');
      assert.deepEqual(restarted.warnings, []);
      const uncached = await startLinter(false);
      assert.deepEqual(published(restarted.linter), published(uncached.linter));
    } finally {
      fs.rmSync(added, { force: true });
    }
  });

  it('a file with findings deleted or left out while the window was closed shows nothing after a restart, though its cached findings come first', async () => {
    const deleted = path.join(root(), GENERATED, 'deleted-while-closed.sql');
    const ignored = path.join(root(), GENERATED, 'ignored-while-closed.sql');
    const changed = path.join(root(), GENERATED, 'changed-while-closed.sql');
    const gitignore = path.join(root(), GENERATED, '.gitignore');
    const rel = (f: string) => path.relative(root(), f);
    for (const f of [deleted, ignored, changed]) fs.writeFileSync(f, 'SELECT * FROM models_v4.production_training_data_1m;\n');
    try {
      const first = await startLinter(true);
      for (const f of [deleted, ignored, changed]) assert.ok(published(first.linter).has(rel(f)), `${path.basename(f)} shows its diagnostics`);
      first.linter.dispose();
      // The extension's own linter scans again for the .gitignore (from the same cache): the ignored file's
      // cached findings come first there too, and are taken off when its walk ends without it.
      await idle();
      fs.rmSync(deleted);
      fs.writeFileSync(gitignore, 'ignored-while-closed.sql\n');
      const wrote = performance.now(); // the extension host's clock, as the scan's startedAt
      for (let deadline = Date.now() + 20_000; (await idle()).lastScan!.startedAt < wrote; await sleep(100)) {
        if (Date.now() > deadline) assert.fail('the .gitignore made no scan');
      }
      const own = published(ext.ctx.linter);
      for (const f of [deleted, ignored]) assert.ok(!own.has(rel(f)), `${path.basename(f)} shows nothing after the extension's scan`);
      // A file with findings changed while no scan runs: a restart lints it on the pool before the walk, once.
      fs.writeFileSync(changed, '-- changed\nSELECT 1;\nSELECT * FROM models_v4.crisis_2008_historical JOIN models_v4.trump_rich_2023_2025 USING (d);\n');
      const restarted = await startLinter(true);
      const after = published(restarted.linter);
      for (const f of [deleted, ignored]) assert.ok(!after.has(rel(f)), `${path.basename(f)} shows nothing after the restart`);
      assert.deepEqual(after.get(rel(changed))?.map((d) => d.split(' ')[0]), ['2:14-2:46', '2:52-2:82'], 'the changed file shows its new findings');
      assert.equal(restarted.stats.lastScan!.linted, 1, 'the changed file was linted once, nothing else');
      assert.ok(restarted.stats.lastScan!.cachedFindings, 'the other files with findings came from the cache first');
      assert.deepEqual(after, published((await startLinter(false)).linter));
      // Their entries were dropped: what the next restart shows first is what it shows at the end (but the open documents).
      const next = await startLinter(true);
      const open = vscode.workspace.textDocuments.filter((d) => (next.linter.collection.get(d.uri)?.length ?? 0) > 0).length;
      assert.equal(next.stats.lastScan!.cachedFindings!.shown.files, published(next.linter).size - open);
    } finally {
      for (const f of [deleted, ignored, changed, gitignore]) fs.rmSync(f, { force: true });
    }
  });

  it('the scan walks the disk as the CLI does: every .gitignore on the way down, never build output or dependency folders', async () => {
    const base = path.join(root(), GENERATED, 'walked');
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
      fs.writeFileSync(path.join(base, rel), text);
    };
    const legacy = 'SELECT * FROM models_v4.production_training_data_1m;\n';
    write('nested/.gitignore', 'ignored.sql\n');
    for (const rel of ['nested/ignored.sql', 'nested/kept.sql', 'dist/built.sql', '.venv/lib/x.sql', '__pycache__/y.sql', 'out/z.sql', 'node_modules/m/q.sql', 'notes.bin']) write(rel, legacy);
    try {
      const engine = ext.ctx.linter.currentEngine;
      assert.ok(engine, 'a manifest is loaded');
      const found: string[] = [];
      for await (const f of workspaceFiles(engine)) if (f.startsWith(base + path.sep)) found.push(path.relative(base, f).split(path.sep).join('/'));
      // (the .gitignore is a text file: linted, as the CLI lints it)
      assert.deepEqual(found, ['nested/.gitignore', 'nested/kept.sql']);
      // A folder the watcher reports made is walked the same way; a .gitignore outside the folders walked starts no scan.
      const inFolder: string[] = [];
      for await (const f of workspaceFilesIn(engine, base)) inFolder.push(path.relative(base, f).split(path.sep).join('/'));
      assert.deepEqual(inFolder, found);
      for await (const f of workspaceFilesIn(engine, path.join(base, 'node_modules'))) assert.fail(`nothing under node_modules is linted, not ${f}`);
      assert.deepEqual(['', 'walked', 'walked/nested', 'walked/dist', 'walked/node_modules/m', 'walked/.venv/lib'].map((rel) => isScannedFolder(engine, path.join(root(), GENERATED, rel))), [true, true, true, false, false, false]);
      assert.equal(isScannedFolder(engine, root()), true, 'the manifest\'s folder');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('a file changed while the window was closed is linted again; an open document is linted from its live text', async () => {
    await startLinter(true);
    const changed = path.join(root(), GENERATED, 'g00.sql');
    fs.writeFileSync(changed, '-- changed while closed\nSELECT * FROM models_v4.crisis_2008_historical;\n');
    // An unsaved edit in an open editor: the scan's disk result for it must not replace the live lint.
    const openRel = path.join(GENERATED, 'g03.sql');
    const doc = await vscode.workspace.openTextDocument(uri(openRel));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'SELECT * FROM models_v4.trump_rich_2023_2025;\n'));
    try {
      const restarted = await startLinter(true);
      // One file linted again — or none, when the extension's own linter (alive beside these, its watcher on)
      // rescanned meanwhile, as a .gitignore an earlier test made or removed makes it do, and cached the change.
      assert.ok(restarted.stats.lastScan!.linted <= 1, `only the changed file is linted again (${restarted.stats.lastScan!.linted} were)`);
      const uncached = await startLinter(false);
      const fromCache = published(restarted.linter);
      assert.deepEqual(fromCache, published(uncached.linter));
      assert.equal(fromCache.get(path.join(GENERATED, 'g00.sql'))!.length, 1);
      assert.equal(fromCache.get(openRel)!.length, 1, 'the live text has one reference, the file on disk none');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('a damaged cache is discarded with a warning; the diagnostics are right and the cache is written anew', async () => {
    const file = cacheFile();
    const whole = fs.readFileSync(file);
    // Cut inside the first (whole-cache) batch: nothing in it can be trusted.
    fs.writeFileSync(file, whole.subarray(0, MAGIC.length + 64));
    const damaged = await startLinter(true);
    assert.equal(damaged.warnings.length, 1, damaged.warnings.join('\n'));
    assert.match(damaged.warnings[0]!, /lint cache .*lintcache: it is truncated .*discarded/);
    assert.equal(damaged.stats.lastScan!.fromCache, 0);
    const uncached = await startLinter(false);
    assert.deepEqual(published(damaged.linter), published(uncached.linter));
    const next = await startLinter(true);
    assert.equal(next.stats.lastScan!.linted, 0);
    assert.deepEqual(next.warnings, []);
    // Not a cache at all: the same.
    fs.writeFileSync(file, 'garbage');
    const garbage = await startLinter(true);
    assert.match(garbage.warnings.join('\n'), /not a bqmigrate lint cache .*discarded/);
    assert.deepEqual(published(garbage.linter), published(uncached.linter));
    // A torn update (a run killed while it appended its changes): that part is dropped, the whole cache before it still serves.
    const changed = path.join(root(), GENERATED, 'g05.sql');
    const before = fs.readFileSync(changed);
    try {
      const rewritten = fs.readFileSync(file).length;
      fs.writeFileSync(changed, '-- changed\nSELECT * FROM models_v4.crisis_2008_historical;\n');
      const appended = await startLinter(true);
      assert.equal(appended.stats.lastScan!.linted, 1);
      const grown = fs.readFileSync(file);
      assert.ok(grown.length > rewritten, 'the change was appended');
      fs.writeFileSync(file, grown.subarray(0, grown.length - 8));
      const torn = await startLinter(true);
      assert.equal(torn.warnings.length, 1, torn.warnings.join('\n'));
      assert.match(torn.warnings[0]!, /lint cache .*lintcache: its last update is incomplete .*that part is not used/);
      assert.equal(torn.stats.lastScan!.linted, 1, 'only the file of the torn update is linted again');
      assert.deepEqual(published(torn.linter), published((await startLinter(false)).linter));
    } finally {
      fs.writeFileSync(changed, before);
    }
  });
});
