/**
 * Settings are parsed, not cast (rust-analyzer `config.ts`): package.json declares
 * them, zod parses them at read time into a typed snapshot, and RELOAD_KEYS says
 * which ones only take effect after a window reload. A bad value falls back to its
 * default and is logged with the key that was wrong.
 */
import * as vscode from 'vscode';
import { z } from 'zod';

const severity = z.enum(['off', 'info', 'warning', 'error']);
const ruleId = z.enum(['archived-reference', 'legacy-reference', 'naming-convention', 'shim-reference', 'unknown-dataset']);

export const SettingsSchema = z.object({
  manifest: z.string().catch(''),
  lint: z
    .object({
      run: z.enum(['onType', 'onSave']).catch('onType'),
      debounceMs: z.number().int().min(0).max(5000).catch(150),
      exclude: z.array(z.string()).catch([]),
      workspaceScan: z.boolean().catch(true),
    })
    .catch({ run: 'onType', debounceMs: 150, exclude: [], workspaceScan: true }),
  rules: z.partialRecord(ruleId, severity).catch({}),
  bigquery: z
    .object({
      backend: z.enum(['local', 'bigquery']).catch('local'),
      keyFile: z.string().catch(''),
      apiEndpoint: z.string().catch(''),
      maximumBytesBilled: z.number().int().min(0).catch(0),
    })
    .catch({ backend: 'local', keyFile: '', apiEndpoint: '', maximumBytesBilled: 0 }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Keys read once at activation; everything else applies live. */
export const RELOAD_KEYS: readonly string[] = ['bqmigrate.lint.workspaceScan'];

/** Reads a plain object of the `bqmigrate.*` keys as the user set them. */
function rawSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('bqmigrate');
  return {
    manifest: c.get('manifest'),
    lint: { run: c.get('lint.run'), debounceMs: c.get('lint.debounceMs'), exclude: c.get('lint.exclude'), workspaceScan: c.get('lint.workspaceScan') },
    rules: c.get('rules'),
    bigquery: {
      backend: c.get('bigquery.backend'),
      keyFile: c.get('bigquery.keyFile'),
      apiEndpoint: c.get('bigquery.apiEndpoint'),
      maximumBytesBilled: c.get('bigquery.maximumBytesBilled'),
    },
  };
}

/** Lists the keys whose values were rejected, e.g. "bqmigrate.lint.run = \"always\"". */
export function rejectedSettings(raw: Record<string, unknown>, parsed: Settings): string[] {
  const out: string[] = [];
  const walk = (r: unknown, p: unknown, key: string) => {
    if (r === undefined) return;
    if (r && typeof r === 'object' && !Array.isArray(r) && p && typeof p === 'object' && !Array.isArray(p) && key !== 'bqmigrate.rules') {
      for (const k of Object.keys(r)) walk((r as Record<string, unknown>)[k], (p as Record<string, unknown>)[k], `${key}.${k}`);
      return;
    }
    if (JSON.stringify(r) !== JSON.stringify(p)) out.push(`${key} = ${JSON.stringify(r)}`);
  };
  walk(raw, parsed, 'bqmigrate');
  return out;
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
