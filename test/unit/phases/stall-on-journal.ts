/**
 * Preloaded into a CLI process by the resume tests (`NODE_OPTIONS=--require …`): subscribes to
 * the journal's diagnostics channel and, at the first event matching BQMIGRATE_STALL_ON
 * (`<event>` or a prefix of `<event>:<action or step>`), says "stalled at" on stderr and blocks
 * 30 s, so the test can `kill -9` the process at a known point.
 */
import * as diagnostics from 'node:diagnostics_channel';

const on = process.env.BQMIGRATE_STALL_ON;
if (on) {
  diagnostics.subscribe('bqmigrate:journal', (message) => {
    const e = message as { event: string; action?: string; step?: string };
    const key = `${e.event}:${e.action ?? e.step ?? ''}`;
    if (!key.startsWith(on) && e.event !== on) return;
    process.stderr.write(`bqmigrate: stalled at ${key}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
  });
}

/** The environment that makes a spawned CLI stall at `stallOn`. */
export function stallEnv(stallOn: string): Record<string, string> {
  const preload = `--require "${__filename}"`;
  return { BQMIGRATE_STALL_ON: stallOn, NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ') };
}
