/**
 * The one command registry (rust-analyzer `main.ts`/`ctx.ts`; vscode-pull-request-github
 * `check-commands.js`): every command the extension contributes is listed here once,
 * with its palette title, category and when-clause; `test/host/suite/registry.test.ts`
 * checks this list against package.json `contributes.commands` and `menus.commandPalette`
 * both ways. Features register their providers through `features` below. Only extension.ts
 * imports this file; features take `CommandSpec` from context.ts.
 *
 * To add a command: add a `CommandSpec` to your feature's `commands` array, spread that
 * array into `commandSpecs`, and add the same id/title/category to package.json.
 */
import * as vscode from 'vscode';
import type { CommandSpec, ExtensionCtx, FeatureRegistration } from './context';
import { diagnosticsCommands, registerDiagnostics } from './diagnostics/register';
import { codeActionCommands, registerCodeActions } from './code-actions/register';
import { navigationCommands, registerNavigation } from './navigation/register';
import { mappingTreeCommands, registerMappingTree } from './mapping-tree/register';
import { manifestCommands, registerManifestEditing } from './manifest/register';
import { warehouseCommands } from './warehouse/commands';
import { internalCommands } from './internal';
import { dashboardCommands, registerDashboard } from './dashboard/register';
import { phasesCommands, registerPhases } from './phases/register';

export const commandSpecs: readonly CommandSpec[] = [
  ...diagnosticsCommands,
  ...codeActionCommands,
  ...navigationCommands,
  ...mappingTreeCommands,
  ...manifestCommands,
  ...warehouseCommands,
  ...internalCommands,
  ...dashboardCommands,
  ...phasesCommands,
];

/** Order matters only in that the manifest editing feature sees the manifest first. */
export const features: readonly FeatureRegistration[] = [
  registerManifestEditing,
  registerDiagnostics,
  registerCodeActions,
  registerNavigation,
  registerMappingTree,
  registerDashboard,
  registerPhases,
];

export function registerCommands(ctx: ExtensionCtx, specs: readonly CommandSpec[] = commandSpecs): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.id)) throw new Error(`command ${spec.id} is listed twice in the registry`);
    seen.add(spec.id);
    ctx.track(
      vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
        try {
          return await spec.run(ctx, ...args);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          ctx.log.error(`${spec.id}: ${message}`);
          void vscode.window.showErrorMessage(`bqmigrate: ${spec.title} failed: ${message}`);
          throw err;
        }
      }),
    );
  }
}
