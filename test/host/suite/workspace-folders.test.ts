/**
 * Which workspace folders the manifest governs, as the editor reports it (`bqmigrate.internal.stats`;
 * the status bar's tooltip and the output channel say the same). Adding a second folder to a
 * single-folder window reloads the window in code-server, so the other verdicts ("part", "none") are
 * unit-tested on folderCoverage (test/unit/extension/coverage.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { idle, sleep } from './ext-helpers';

interface FolderStats {
  manifest: { file?: string };
  folders: { name: string; fsPath: string; governed: 'all' | 'part' | 'none'; message: string }[];
}

describe('workspace folders and the manifest', () => {
  it('reports the fixture folder as governed by its manifest, and leaves a file outside it unlinted', async function () {
    this.timeout(60_000);
    await idle();
    const stats = (await vscode.commands.executeCommand('bqmigrate.internal.stats')) as FolderStats;
    assert.equal(stats.folders.length, vscode.workspace.workspaceFolders!.length);
    assert.equal(stats.folders[0]!.governed, 'all');
    assert.equal(stats.folders[0]!.message, `${vscode.workspace.workspaceFolders![0]!.name}: governed by ${stats.manifest.file}`);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-outside-'));
    const sql = path.join(outside, 'query.sql');
    fs.writeFileSync(sql, 'SELECT * FROM models_v4.trump_rich_2023_2025;\n');
    try {
      const doc = await vscode.workspace.openTextDocument(sql);
      await vscode.window.showTextDocument(doc);
      await sleep(1000);
      assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'bqmigrate'), [], 'a file outside the manifest folder is not linted');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
