/**
 * Features talk through the context object (house style; rust-analyzer `Ctx`): a feature folder under
 * src/extension imports another folder's module, or a top-level module, only when it is listed below
 * as shared, and only extension.ts imports registry.ts. Reads the sources; needs no editor.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../lint/repo-root';

const EXTENSION = path.join(repoRoot(), 'src', 'extension');

/** Top-level modules under src/extension that any feature may import: none of them imports a feature at run time. */
const NEUTRAL_MODULES = [
  'context.ts', // ExtensionCtx, CommandSpec, FeatureRegistration
  'args.ts', // command arguments several features accept (mappingIndexArg)
  'verdict.ts', // naming-verdict text for the hover and the target-name input box
  'reports.ts', // the `bqmigrate-report:` documents type behind ctx.reports
  'migration-state.ts', // the merged history and runs in progress behind ctx.migrationState
  'settings.ts',
  'settings-schema.ts',
  'positions.ts', // offsets → vscode.Position over the core's one line index
];

/**
 * Modules inside a feature folder that other features may import: the services the ctx exposes
 * (ctx.manifest, ctx.linter) and the edit and diagnostic helpers that go with them.
 */
const SHARED_FEATURE_MODULES = [
  'manifest/service.ts',
  'manifest/write.ts',
  'manifest/locations.ts',
  'diagnostics/workspace-linter.ts',
  'diagnostics/file-record.ts',
  'diagnostics/convert.ts',
];

/** The neutral modules that ctx.requireTrust / ctx.openWarehouse and the report documents come from must import no feature. */
const IMPORTS_NO_FEATURE = ['args.ts', 'verdict.ts', 'reports.ts', 'warehouse-access.ts', 'positions.ts'];

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative module a file names: static imports, `export … from`, and dynamic `import('…')`. */
function relativeImports(file: string): { spec: string; target: string; line: number }[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: { spec: string; target: string; line: number }[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1]!;
    const resolved = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
    const target = path.relative(EXTENSION, resolved.endsWith('.ts') ? resolved : `${resolved}.ts`).split(path.sep).join('/');
    out.push({ spec, target, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

const rel = (file: string) => path.relative(repoRoot(), file).split(path.sep).join('/');
const featureOf = (target: string) => (target.includes('/') && !target.startsWith('..') ? target.split('/')[0] : undefined);

test('the import scanner sees static, re-exported and dynamic imports', () => {
  const found = relativeImports(path.join(EXTENSION, 'warehouse', 'commands.ts')).map((i) => i.target);
  assert.ok(found.includes('context.ts'), 'the type import of ../context');
  assert.ok(found.includes('warehouse/inventory.ts'), "the dynamic import('./inventory.js')");
  const ext = relativeImports(path.join(EXTENSION, 'extension.ts')).map((i) => i.target);
  assert.ok(ext.includes('registry.ts'));
});

test('a feature folder imports other features only through context.ts and the listed shared modules', () => {
  const features = fs.readdirSync(EXTENSION, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  assert.ok(features.length >= 8, `found feature folders: ${features.join(', ')}`);
  for (const shared of [...NEUTRAL_MODULES, ...SHARED_FEATURE_MODULES]) assert.ok(fs.existsSync(path.join(EXTENSION, shared)), `listed shared module src/extension/${shared} exists`);
  const wrong: string[] = [];
  for (const feature of features) {
    for (const file of tsFiles(path.join(EXTENSION, feature))) {
      for (const { spec, target, line } of relativeImports(file)) {
        if (target.startsWith('../')) continue; // src/core, src/protocol
        const other = featureOf(target);
        if (other === feature) continue;
        const allowed = other === undefined ? NEUTRAL_MODULES.includes(target) : SHARED_FEATURE_MODULES.includes(target);
        if (!allowed) wrong.push(`${rel(file)}:${line}: imports '${spec}' (src/extension/${target}); reach it through the ExtensionCtx or a shared module listed in this test`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('only extension.ts imports registry.ts', () => {
  const importers = tsFiles(EXTENSION).filter((f) => relativeImports(f).some((i) => i.target === 'registry.ts')).map(rel);
  assert.deepEqual(importers, ['src/extension/extension.ts']);
});

test('the neutral shared modules import no feature', () => {
  const wrong: string[] = [];
  for (const name of IMPORTS_NO_FEATURE) {
    const file = path.join(EXTENSION, name);
    for (const { spec, target, line } of relativeImports(file)) {
      if (featureOf(target) !== undefined || target === 'registry.ts' || target === 'extension.ts') wrong.push(`${rel(file)}:${line}: imports '${spec}'`);
    }
  }
  assert.deepEqual(wrong, []);
});
