/**
 * A workspace folder outside the manifest's folder is not linted by the editor, and the editor says so:
 * `bqmigrate.internal.stats` (read by this test), the status bar's tooltip and the output channel name it.
 * Sorted after the other suites: it adds a second workspace folder and removes it again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { idle, sleep } from './ext-helpers';

interface FolderStats {
  folders: { name: string; fsPath: string; governed: 'all' | 'part' | 'none'; message: string }[];
}

function foldersChanged(): Promise<void> {
  return new Promise((resolve) => {
    const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      sub.dispose();
      resolve();
    });
  });
}

describe('workspace folders outside the manifest', () => {
  it('a folder outside the manifest folder is reported as not linted, with the way to lint it', async function () {
    this.timeout(60_000);
    await idle();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-outside-'));
    const sql = path.join(outside, 'query.sql');
    fs.writeFileSync(sql, 'SELECT * FROM models_v4.trump_rich_2023_2025;\n');
    const count = vscode.workspace.workspaceFolders!.length;
    const added = foldersChanged();
    assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.file(outside), name: 'outside' }), 'the folder could not be added');
    await added;
    try {
      const stats = (await vscode.commands.executeCommand('bqmigrate.internal.stats')) as FolderStats;
      const mine = stats.folders.find((f) => f.name === 'outside');
      assert.ok(mine, JSON.stringify(stats.folders));
      assert.equal(mine.governed, 'none');
      assert.match(mine.message, /not linted — it lies outside .*bqmigrate lint --manifest/);
      assert.equal(stats.folders[0]!.governed, 'all', 'the fixture folder is governed');
      const doc = await vscode.workspace.openTextDocument(sql);
      await vscode.window.showTextDocument(doc);
      await sleep(1000);
      assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'bqmigrate'), [], 'the editor does not lint a folder it says it does not govern');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const removed = foldersChanged();
      vscode.workspace.updateWorkspaceFolders(count, 1);
      await removed;
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
