/**
 * The oldest VS Code the extension claims (engines.vscode) is the oldest one the host suite runs
 * on (test/host/vscode-hosts.json), and the API types it compiles against are no newer.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PKG, ROOT } from './helpers';

test('engines.vscode is the oldest tested VS Code, and @types/vscode is no newer', () => {
  const hosts = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'host', 'vscode-hosts.json'), 'utf8')) as Record<string, { vscode: string }>;
  const [major, minor] = hosts.oldest!.vscode.split('.');
  assert.equal(PKG.engines.vscode, `^${major}.${minor}.0`, 'engines.vscode names the oldest VS Code the host suite runs on');
  const types = (PKG.devDependencies as Record<string, string>)['@types/vscode'];
  assert.equal(types, `~${major}.${minor}.0`, '@types/vscode: the API of the oldest supported VS Code, so nothing newer compiles');
  assert.ok(Object.keys(hosts).includes('current'), 'the current VS Code is tested too');
});
