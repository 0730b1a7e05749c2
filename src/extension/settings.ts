/**
 * Settings are parsed, not cast (rust-analyzer `config.ts`): package.json declares
 * them, zod parses them at read time into a typed snapshot, and RELOAD_KEYS says
 * which ones only take effect after a window reload. A bad value falls back to its
 * default and is logged with the key that was wrong.
 */
import * as vscode from 'vscode';

export { SettingsSchema, RELOAD_KEYS, rejectedSettings, type Settings } from './settings-schema';
import { SettingsSchema, RELOAD_KEYS, rejectedSettings, type Settings } from './settings-schema';

/** Reads a plain object of the `bqmigrate.*` keys as the user set them. */
function rawSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('bqmigrate');
  return {
    manifest: c.get('manifest'),
    lint: { run: c.get('lint.run'), debounceMs: c.get('lint.debounceMs'), exclude: c.get('lint.exclude'), workspaceScan: c.get('lint.workspaceScan'), cache: c.get('lint.cache') },
    rules: c.get('rules'),
    bigquery: {
      backend: c.get('bigquery.backend'),
      keyFile: c.get('bigquery.keyFile'),
      apiEndpoint: c.get('bigquery.apiEndpoint'),
      maximumBytesBilled: c.get('bigquery.maximumBytesBilled'),
    },
    history: { pollSeconds: c.get('history.pollSeconds'), maxPollSeconds: c.get('history.maxPollSeconds') },
  };
}

export class SettingsService implements vscode.Disposable {
  private snapshot: Settings;
  private readonly changed = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.snapshot = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('bqmigrate')) return;
      this.snapshot = this.read();
      this.changed.fire(this.snapshot);
      const reload = RELOAD_KEYS.filter((k) => e.affectsConfiguration(k));
      if (reload.length > 0) {
        void vscode.window
          .showInformationMessage(`bqmigrate: ${reload.join(', ')} takes effect after a window reload.`, 'Reload Window')
          .then((pick) => pick && vscode.commands.executeCommand('workbench.action.reloadWindow'));
      }
    });
  }

  get current(): Settings {
    return this.snapshot;
  }

  private read(): Settings {
    const raw = rawSettings();
    const parsed = SettingsSchema.parse(raw);
    for (const bad of rejectedSettings(raw, parsed)) this.log.warn(`setting ${bad} is not valid; using the default instead`);
    return parsed;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
