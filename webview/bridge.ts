/**
 * The webview's side of the protocol: `acquireVsCodeApi` once, typed posts, and
 * every incoming message parsed with the shared zod schema — a bad one is logged
 * and counted (body[data-rejected-messages]), never thrown.
 */
import { parseHostMessage, type DashboardState, type HostMessage, type WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What setState keeps across reloads and hides of the panel. */
export interface SavedState {
  state?: DashboardState;
}

const api = acquireVsCodeApi();
let rejected = 0;

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function saved(): SavedState {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as SavedState) : {};
}

export function save(state: SavedState): void {
  api.setState(state);
}

export function onHostMessage(handler: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      rejected++;
      document.body.dataset.rejectedMessages = String(rejected);
      console.warn(`[bqmigrate dashboard] ${parsed.error}`);
      return;
    }
    handler(parsed.message);
  });
}
