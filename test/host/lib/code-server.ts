/**
 * Starts one code-server (VS Code served to a browser, with a real Node extension
 * host) in throwaway user-data/extensions/XDG folders, and stops it by killing its
 * whole process group: code-server never exits by itself when tests finish.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findVsCodeHost, type VsCodeHost } from './paths';

/** User settings that keep the workbench quiet and offline. */
export const HOST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'editor.accessibilitySupport': 'off',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

export interface CodeServerOptions {
  /** Which VS Code build (test/host/vscode-hosts.json); default BQMIGRATE_VSCODE_HOST or "current". */
  host?: string;
  /** Extra environment for code-server; it reaches the extension host. */
  env?: Record<string, string>;
  /** Reuse an extensions folder (e.g. one with an installed .vsix). */
  extensionsDir?: string;
  /** Extra user settings merged over HOST_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Called with every output line (for logs and "hung at" reports). */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  port: number;
  origin: string;
  /** Scratch folder holding user data, extensions and XDG dirs; removed by stop(). */
  scratch: string;
  extensionsDir: string;
  host: VsCodeHost;
  /** Workbench URL opening `folder`, with an optional development/test payload. */
  url(folder: string, payload?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  /** A `vscode-remote://` URI for a path on this machine, as the payload expects. */
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}

/** Environment every code-server start gets: offline gallery, no GCE metadata probing. */
export function hostEnv(scratch: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
    EXTENSIONS_GALLERY: '{}',
    METADATA_SERVER_DETECTION: 'none',
    ...extra,
  };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.NODE_OPTIONS;
  return env;
}

export function makeScratch(prefix = 'bqmigrate-host-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes user settings and a config file into `scratch`; returns the CLI folder arguments. */
export function prepareProfile(scratch: string, settings: Record<string, unknown> = {}, extensionsDir?: string): string[] {
  const userData = path.join(scratch, 'user-data');
  const extensions = extensionsDir ?? path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  for (const d of ['xdg-data', 'xdg-config', 'xdg-cache']) fs.mkdirSync(path.join(scratch, d), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...HOST_SETTINGS, ...settings }, null, 2));
  const config = path.join(scratch, 'config.yaml');
  fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];
}

export async function startCodeServer(workspace: string, opts: CodeServerOptions = {}): Promise<RunningCodeServer> {
  const host = findVsCodeHost(opts.host);
  const scratch = makeScratch();
  const extensionsDir = opts.extensionsDir ?? path.join(scratch, 'extensions');
  const args = [
    host.entry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...host.smokeTestDriverArgs,
    ...prepareProfile(scratch, opts.settings, extensionsDir),
    workspace,
  ];
  const child = spawn(host.node, args, {
    cwd: scratch,
    env: hostEnv(scratch, opts.env),
    detached: true, // own process group, so stop() can kill the extension host and watchers too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    await killGroup(child);
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const port = await waitForPort(child, opts.onLine, opts.startTimeoutMs ?? 60_000);
    const origin = `http://127.0.0.1:${port}`;
    const remoteUri = (p: string) => `vscode-remote://127.0.0.1:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
    const url: RunningCodeServer['url'] = (folder, payload) => {
      let u = `${origin}/?folder=${encodeURIComponent(path.resolve(folder))}`;
      const entries: [string, string][] = [];
      if (payload?.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remoteUri(payload.extensionDevelopmentPath)]);
      if (payload?.extensionTestsPath) entries.push(['extensionTestsPath', remoteUri(payload.extensionTestsPath)]);
      if (entries.length) u += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
      return u;
    };
    return { port, origin, scratch, extensionsDir, host, url, remoteUri, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitForPort(child: ChildProcess, onLine: ((l: string) => void) | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const recent: string[] = [];
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`code-server did not report "HTTP server listening" within ${timeoutMs / 1000} s; last output:\n${recent.join('\n')}`))),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (!line.trim()) continue;
        recent.push(line);
        if (recent.length > 20) recent.shift();
        onLine?.(line);
        const m = line.match(/HTTP server listening on https?:\/\/[^:\s]+:(\d+)/);
        if (m) finish(() => resolve(Number(m[1])));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) =>
      finish(() => reject(new Error(`code-server exited before listening (code ${code}, signal ${signal}); last output:\n${recent.join('\n')}`))),
    );
    child.once('error', (err) => finish(() => reject(err)));
  });
}

/** SIGTERM to the whole process group, SIGKILL after 5 s if anything is left. */
export async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
