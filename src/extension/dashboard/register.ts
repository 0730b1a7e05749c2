/** Dashboard feature: the command, and the serializer that restores the panel after a reload. */
import * as vscode from 'vscode';
import type { CommandSpec, ExtensionCtx } from '../context';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './panel';

export const dashboardCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.openDashboard',
    title: 'Open Dashboard',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    icon: '$(dashboard)',
    // Resolves once the page has said ready (or after a timeout): host tests rely on { ready }.
    run: (ctx) => DashboardPanel.show(ctx),
  },
];

export function registerDashboard(ctx: ExtensionCtx): void {
  ctx.track(
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => DashboardPanel.revive(ctx, panel),
    }),
  );
  ctx.track({ dispose: () => DashboardPanel.current?.dispose() });
}
