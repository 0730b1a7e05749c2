/**
 * The settings' shape, free of vscode so it is unit-tested without an editor:
 * every key falls back to its default when the user's value does not parse.
 */
import * as z from 'zod';
import { RULE_IDS } from '../core/manifest/schema';

const severity = z.enum(['off', 'info', 'warning', 'error']);
const ruleId = z.enum(RULE_IDS);

export const SettingsSchema = z.object({
  manifest: z.string().catch(''),
  lint: z
    .object({
      run: z.enum(['onType', 'onSave']).catch('onType'),
      debounceMs: z.number().int().min(0).max(5000).catch(150),
      exclude: z.array(z.string()).catch([]),
      workspaceScan: z.boolean().catch(true),
      cache: z.boolean().catch(true),
    })
    .catch({ run: 'onType', debounceMs: 150, exclude: [], workspaceScan: true, cache: true }),
  // Per entry: one misspelt rule or severity drops that entry only.
  rules: z
    .record(z.string(), z.unknown())
    .catch({})
    .transform((raw) => {
      const out: Partial<Record<z.infer<typeof ruleId>, z.infer<typeof severity>>> = {};
      for (const [k, v] of Object.entries(raw)) {
        const id = ruleId.safeParse(k);
        const sev = severity.safeParse(v);
        if (id.success && sev.success) out[id.data] = sev.data;
      }
      return out;
    }),
  bigquery: z
    .object({
      backend: z.enum(['local', 'bigquery']).catch('local'),
      keyFile: z.string().catch(''),
      apiEndpoint: z.string().catch(''),
      maximumBytesBilled: z.number().int().min(0).catch(0),
    })
    .catch({ backend: 'local', keyFile: '', apiEndpoint: '', maximumBytesBilled: 0 }),
  // The shared history's polling while the dashboard or the Phases view is visible (0: no polling).
  history: z
    .object({
      pollSeconds: z.number().int().min(0).max(3600).catch(15),
      maxPollSeconds: z.number().int().min(1).max(86_400).catch(300),
    })
    .catch({ pollSeconds: 15, maxPollSeconds: 300 }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Keys read once at activation; everything else applies live. */
export const RELOAD_KEYS: readonly string[] = ['bqmigrate.lint.workspaceScan'];

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

