/**
 * "Export Tables…": asks for the tables and destination templates, shows the dry run and asks
 * before writing, asks again before overwriting files newer than their table, then runs core
 * exportTables under a cancellable progress notification and reports the verified row counts.
 * Args `{ tables, to, confirm: true, overwrite? }` skip the prompts (tests, keybindings).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { expandExportSpec, exportTables, type ExportOutcome, type ExportSpec } from '../../core/inventory/index';
import type { LoadedManifest } from '../../core/manifest/load';
import type { ExtensionCtx } from '../context';
import { openCommandJournal } from '../../core/phases/command-journal';

export interface ExportArgs {
  tables?: string;
  to?: string;
  /** Skip the "write these files?" modal. */
  confirm?: boolean;
  /** Overwrite files newer than their table without asking (with `confirm`, absent means no). */
  overwrite?: boolean;
}

const DEFAULT_TO = 'exports/{table}.parquet';

/** The first `{ "run": "export" }` step of the manifest, as the prompts' defaults. */
function manifestExportStep(loaded: LoadedManifest): Partial<ExportSpec> {
  for (const phase of loaded.manifest.phases) {
    for (const s of phase.steps) if (s.run === 'export') return { tables: typeof s.tables === 'string' ? s.tables : undefined, to: typeof s.to === 'string' ? s.to : undefined };
  }
  return {};
}

function specError(spec: ExportSpec, loaded: LoadedManifest): string | undefined {
  try {
    const pairs = expandExportSpec(spec, loaded);
    return pairs.length ? undefined : 'the template expands to no tables';
  } catch (err) {
    return (err as Error).message;
  }
}

async function askSpec(loaded: LoadedManifest, args: ExportArgs): Promise<ExportSpec | undefined> {
  const defaults = manifestExportStep(loaded);
  const tables = args.tables ?? (await vscode.window.showInputBox({
    title: 'bqmigrate: Export Tables (1/2)',
    prompt: 'Tables to export: a dataset.table template over the manifest\'s variables',
    placeHolder: 'training.zl_training_{surface}_allhistory_{horizon}',
    value: defaults.tables ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? specError({ tables: v.trim(), to: DEFAULT_TO }, loaded) : 'give a dataset.table template, e.g. training.zl_training_prod_allhistory_{horizon}'),
  }))?.trim();
  if (!tables) return undefined;
  const to = args.to ?? (await vscode.window.showInputBox({
    title: 'bqmigrate: Export Tables (2/2)',
    prompt: 'Destination: a path relative to bqmigrate.json, or a gs:// URI; {table}, {dataset} and the variables are filled in',
    value: defaults.to ?? DEFAULT_TO,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? specError({ tables, to: v.trim() }, loaded) : `give a destination, e.g. ${DEFAULT_TO}`),
  }))?.trim();
  if (!to) return undefined;
  const error = specError({ tables, to }, loaded);
  if (error) throw new Error(error);
  return { tables, to };
}

const shown = (loaded: LoadedManifest, destination: string) => (destination.startsWith('gs://') ? destination : path.relative(loaded.root, destination));

function outcomesMarkdown(title: string, outcomes: ExportOutcome[], loaded: LoadedManifest, dryRun: boolean): string {
  const status = (o: ExportOutcome) => (dryRun && o.status === 'exported' ? 'would export' : o.status === 'skipped-newer' ? 'kept (file is newer)' : o.status);
  return [
    `# ${title}`,
    '',
    '| table | destination | status | rows | verified |',
    '|---|---|---|---|---|',
    ...outcomes.map((o) => `| \`${o.table}\` | \`${shown(loaded, o.destination)}\` | ${status(o)} | ${o.rows ?? ''} | ${o.verified ?? ''} |`),
    ...outcomes.filter((o) => o.error && o.status === 'failed').map((o, i) => `${i === 0 ? '\n' : ''}- \`${o.table}\`: ${o.error}`),
    '',
  ].join('\n');
}

async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (m: string) => void) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal, (message) => progress.report({ message }));
    } finally {
      sub.dispose();
    }
  });
}

export async function exportTablesCommand(ctx: ExtensionCtx, arg?: unknown): Promise<ExportOutcome[] | undefined> {
  const args: ExportArgs = arg && typeof arg === 'object' ? (arg as ExportArgs) : {};
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const spec = await askSpec(loaded, args);
  if (!spec) return undefined;
  const docs = ctx.reports;
  const wh = await ctx.openWarehouse();
  try {
    const plan = await withCancellableProgress('bqmigrate: planning the export…', (signal) => exportTables(wh, spec, { loaded, dryRun: true, signal }));
    await docs.show('export-plan', outcomesMarkdown(`Export plan (dry run, ${wh.kind} warehouse): nothing written yet`, plan, loaded, true));
    const failed = plan.filter((o) => o.status === 'failed');
    if (failed.length === plan.length) throw new Error(`nothing can be exported: ${failed.map((o) => `${o.table}: ${o.error}`).join('; ')}`);
    const writes = plan.filter((o) => o.status === 'exported');
    const newer = plan.filter((o) => o.status === 'skipped-newer');
    if (!args.confirm) {
      const go = 'Export';
      const lines = [...writes, ...newer].map((o) => `${o.table} → ${shown(loaded, o.destination)}${o.status === 'skipped-newer' ? ' (file is newer)' : ''}`);
      const answer = await vscode.window.showInformationMessage(
        `bqmigrate: export ${writes.length + newer.length} table(s) to Parquet?`,
        { modal: true, detail: `${lines.join('\n')}${failed.length ? `\n\n${failed.length} table(s) cannot be exported (see the plan).` : ''}` },
        go,
      );
      if (answer !== go) return undefined;
    }
    let force = args.overwrite === true;
    if (newer.length && !force && !args.confirm) {
      const overwrite = 'Overwrite';
      const keep = 'Keep Newer Files';
      const answer = await vscode.window.showWarningMessage(
        `bqmigrate: ${newer.length} destination file(s) are newer than their table`,
        { modal: true, detail: `${newer.map((o) => shown(loaded, o.destination)).join('\n')}\n\nOverwrite replaces them; Keep Newer Files exports only the others.` },
        overwrite,
        keep,
      );
      if (answer === undefined) return undefined;
      force = answer === overwrite;
    }
    const journal = await openCommandJournal(loaded.root, 'export');
    let outcomes: ExportOutcome[];
    try {
      outcomes = await withCancellableProgress(`bqmigrate: exporting ${spec.tables}`, (signal, report) =>
        exportTables(wh, spec, { loaded, force, signal, labels: { run: journal.runId, phase: 'editor', step: 'export' }, onEvent: journal.record, onProgress: report }),
      );
    } finally {
      journal.close();
    }
    for (const o of outcomes) ctx.log.info(`export: ${o.table} → ${o.destination}: ${o.status}${o.rows !== undefined ? `, ${o.rows} rows` : ''}${o.verified ? ` (verified from the ${o.verified})` : ''}${o.error ? ` — ${o.error}` : ''}`);
    await docs.show('export-plan', outcomesMarkdown(`Export (${wh.kind} warehouse)`, outcomes, loaded, false));
    const done = outcomes.filter((o) => o.status === 'exported');
    const kept = outcomes.filter((o) => o.status === 'skipped-newer').length;
    const bad = outcomes.filter((o) => o.status === 'failed');
    const summary = `bqmigrate: exported ${done.length} table(s), ${done.reduce((n, o) => n + (o.rows ?? 0), 0)} rows verified${kept ? `; ${kept} newer file(s) kept` : ''}${bad.length ? `; ${bad.length} failed (see the bqmigrate output)` : ''}.`;
    if (bad.length) void vscode.window.showErrorMessage(summary);
    else void vscode.window.showInformationMessage(summary);
    return outcomes;
  } finally {
    await wh.close();
  }
}
