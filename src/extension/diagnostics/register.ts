/** Diagnostics feature: the workspace linter's commands, the status bar and rule docs. */
import { registerRuleDocs } from './rule-docs';
import { registerStatusBar, showProblems } from './status-bar';
import type { CommandSpec, ExtensionCtx } from '../context';

export const diagnosticsCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.lintWorkspace',
    title: 'Lint Workspace',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: async (ctx) => {
      await ctx.manifest.reload();
      await ctx.linter.scanWorkspace();
      return ctx.linter.totals().total;
    },
  },
  { id: 'bqmigrate.showProblems', title: 'Show Problems', category: 'bqmigrate', when: 'bqmigrate.hasManifest', run: () => showProblems() },
];

export function registerDiagnostics(ctx: ExtensionCtx): void {
  registerRuleDocs(ctx.track);
  registerStatusBar(ctx);
  // Diagnostics of a broken manifest sit on the manifest itself (see manifest/register.ts).
}
