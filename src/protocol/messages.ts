/**
 * The dashboard's messages, both ways, as zod schemas (the single source of the
 * types). Shared by the extension host (src/extension/dashboard) and the webview
 * bundle (webview/); it imports only zod and the dependency-free status list, so it bundles into both.
 * Every message is parsed on arrival: a bad one is logged and dropped, never thrown.
 */
// zod/mini, imported as a namespace so esbuild tree-shakes it: the page's bundle is 119 kB instead of 547 kB.
import * as z from 'zod/mini';
import { MAPPING_STATUSES as MAPPING_STATES } from '../core/manifest/statuses';

export const PROTOCOL_VERSION = 1;

export const PHASE_STATES = ['not-started', 'in-progress', 'complete', 'failed'] as const;
export const PhaseState = z.enum(PHASE_STATES);
export type PhaseState = z.infer<typeof PhaseState>;

export { MAPPING_STATES };
export const MappingState = z.enum(MAPPING_STATES);
export type MappingState = z.infer<typeof MappingState>;

const isoTime = z.string().check(z.minLength(1), z.maxLength(64));
const phaseId = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]*$/), z.maxLength(200));
const mappingIndex = z.int().check(z.nonnegative());

export const PhaseView = z.object({
  id: phaseId,
  title: z.string().check(z.maxLength(500)),
  status: PhaseState,
  start: z.optional(isoTime),
  end: z.optional(isoTime),
  /** End − start, or now − start while in progress. */
  durationMs: z.optional(z.number().check(z.nonnegative())),
  steps: z.int().check(z.nonnegative()),
  stepsDone: z.int().check(z.nonnegative()),
  error: z.optional(z.string().check(z.maxLength(4000))),
});
export type PhaseView = z.infer<typeof PhaseView>;

/** A run that started and has not ended, from the shared history and the lock (core/history/team.ts). */
export const RunView = z.object({
  runId: z.string().check(z.maxLength(200)),
  principal: z.optional(z.string().check(z.maxLength(300))),
  host: z.optional(z.string().check(z.maxLength(300))),
  kind: z.enum(['run', 'rollback']),
  phases: z.array(z.string().check(z.maxLength(200))).check(z.maxLength(100)),
  since: isoTime,
  /** The step it is in, `phase/step`. */
  step: z.optional(z.string().check(z.maxLength(500))),
  lastEvent: isoTime,
  /** Started from this working copy. */
  mine: z.boolean(),
  state: z.enum(['running', 'stale', 'interrupted']),
});
export type RunView = z.infer<typeof RunView>;

/** A run's state in words (the dashboard and the Phases view say the same). */
export const RUN_STATE_TEXT: Record<RunView['state'], string> = { running: 'running', stale: 'lock stale', interrupted: 'interrupted' };

/** Who runs a run: "ana@example.com on ci-7", "… (this working copy)". */
export function runAuthor(r: { principal?: string; host?: string; mine: boolean }): string {
  const who = r.principal ? `${r.principal}${r.host ? ` on ${r.host}` : ''}` : 'unknown';
  return r.mine ? `${who} (this working copy)` : who;
}

/** Where the phase statuses come from, the runs in progress and the lock's holder. */
export const HistoryView = z.object({
  /** `warehouse`: the shared history merged with the journal; `journal`: this machine's journal only. */
  source: z.enum(['warehouse', 'journal']),
  /** Why the shared history is not in it (the warehouse could not be read). */
  warning: z.optional(z.string().check(z.maxLength(4000))),
  /** When the warehouse was last read. */
  readAt: isoTime,
  /** Events known only from the warehouse (other machines' runs). */
  remoteEvents: z.int().check(z.nonnegative()),
  runs: z.array(RunView).check(z.maxLength(20)),
  lock: z.optional(z.object({ runId: z.string().check(z.maxLength(200)), holder: z.string().check(z.maxLength(300)), host: z.string().check(z.maxLength(300)), since: isoTime, heartbeat: isoTime, stale: z.boolean() })),
});
export type HistoryView = z.infer<typeof HistoryView>;

export const PhasesSection = z.object({
  phases: z.array(PhaseView),
  /** The phase to take next (first not complete whose dependencies are), with its next step. */
  next: z.optional(z.object({ phaseId, title: z.string(), step: z.optional(z.string()), retry: z.boolean() })),
  journalEvents: z.int().check(z.nonnegative()),
  /** The shared history's view; absent when only the journal was asked for (the CLI's dashboard export). */
  history: z.optional(HistoryView),
});
export type PhasesSection = z.infer<typeof PhasesSection>;

export const MappingEntry = z.object({ index: mappingIndex, from: z.string().check(z.maxLength(2100)), to: z.optional(z.string().check(z.maxLength(2100))) });
export type MappingEntry = z.infer<typeof MappingEntry>;

export const MappingsSection = z.object({
  total: z.int().check(z.nonnegative()),
  byStatus: z.object({ planned: z.int(), migrated: z.int(), shimmed: z.int(), archived: z.int(), dropped: z.int() }),
  /** Inventory objects (and other table mappings) with no target yet. */
  unmapped: z.array(MappingEntry),
});
export type MappingsSection = z.infer<typeof MappingsSection>;

export const ReferencesSection = z.object({
  /** Legacy references in the last full scan; undefined before the first scan. */
  total: z.optional(z.int().check(z.nonnegative())),
  lastScan: z.optional(isoTime),
  byDataset: z.array(z.object({ dataset: z.string(), count: z.int().check(z.nonnegative()) })),
  history: z.array(z.object({ ts: isoTime, total: z.int().check(z.nonnegative()) })),
});
export type ReferencesSection = z.infer<typeof ReferencesSection>;

const checkValue = z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean(), z.null()]);

export const ValidationCheckView = z.object({
  id: z.string().check(z.maxLength(500)),
  family: z.optional(z.string().check(z.maxLength(200))),
  /** The table (or check) the row is about. */
  subject: z.optional(z.string().check(z.maxLength(2100))),
  description: z.string().check(z.maxLength(2000)),
  legacy: z.optional(checkValue),
  new: z.optional(checkValue),
  pass: z.boolean(),
  /** Not applicable on this backend: neither passed nor failed. */
  skipped: z.optional(z.boolean()),
  detail: z.optional(z.string().check(z.maxLength(4000))),
});
export type ValidationCheckView = z.infer<typeof ValidationCheckView>;

export const CONTENT_VERDICTS = ['equal', 'different', 'not-validated'] as const;
export const TIER_STATUSES = ['equal', 'different', 'not-needed', 'not-validated'] as const;

/** One legacy/archive → new pair's content comparison (validate's content check). */
export const ContentPairView = z.object({
  /** The check id, e.g. "content:training.zl_training_prod_allhistory_1m". */
  id: z.string().check(z.maxLength(500)),
  /** The table compared with, and the new (or archive) table. */
  a: z.string().check(z.maxLength(2100)),
  b: z.string().check(z.maxLength(2100)),
  verdict: z.enum(CONTENT_VERDICTS),
  rowsA: z.optional(z.int().check(z.nonnegative())),
  rowsB: z.optional(z.int().check(z.nonnegative())),
  /** Differing keys (or distinct rows) when tier 3 ran. */
  differing: z.optional(z.int().check(z.nonnegative())),
  key: z.optional(z.array(z.string().check(z.maxLength(300))).check(z.maxLength(50))),
  tiers: z.array(z.object({ tier: z.int(), name: z.string().check(z.maxLength(200)), status: z.enum(TIER_STATUSES), detail: z.string().check(z.maxLength(2000)) })).check(z.maxLength(3)),
  normalisations: z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(50)),
  /** A few differing rows, one line each. */
  sample: z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(5)),
  detail: z.string().check(z.maxLength(4000)),
});
export type ContentPairView = z.infer<typeof ContentPairView>;

export const ValidationSection = z.object({
  /** When the latest validation ran; undefined when it never ran. */
  ts: z.optional(isoTime),
  checks: z.array(ValidationCheckView),
  passed: z.int().check(z.nonnegative()),
  failed: z.int().check(z.nonnegative()),
  skipped: z.int().check(z.nonnegative()),
  reportAvailable: z.boolean(),
  /** Content results per pair, from the content checks. */
  content: z.optional(z.array(ContentPairView)),
});
export type ValidationSection = z.infer<typeof ValidationSection>;

export const ShimView = z.object({
  index: mappingIndex,
  from: z.string(),
  to: z.optional(z.string()),
  shimmedOn: z.optional(z.string()),
  expires: z.optional(z.string()),
  /** Negative once the grace period is over. */
  daysLeft: z.optional(z.int()),
  /** Last read of the legacy name in the last `bqmigrate readers` report, when it saw one. */
  lastRead: z.optional(z.string()),
  /** Jobs that read it in that report's window. */
  reads: z.optional(z.int().check(z.nonnegative())),
});
export type ShimView = z.infer<typeof ShimView>;

const text = (max: number) => z.string().check(z.maxLength(max));

/** One legacy name in the last `bqmigrate readers` report: who read it in the window. */
export const ReadersNameView = z.object({
  index: mappingIndex,
  name: text(2100),
  shim: z.boolean(),
  quiet: z.boolean(),
  otherProjects: z.enum(['verified', 'not verified']),
  jobs: z.int().check(z.nonnegative()),
  lastRead: z.optional(text(40)),
  /** The busiest readers first (at most 5). */
  readers: z.array(z.object({ principal: text(300), project: text(300), jobs: z.int().check(z.nonnegative()), lastRead: text(40), sampleJobId: text(1100), cacheHits: z.int().check(z.nonnegative()) })).check(z.maxLength(5)),
});
export type ReadersNameView = z.infer<typeof ReadersNameView>;

/** The last `bqmigrate readers` report (`.bqmigrate/readers.json`), as the dashboard shows it. */
export const ReadersView = z.object({
  generatedAt: isoTime,
  days: z.int().check(z.positive()),
  backend: z.enum(['local', 'bigquery']),
  otherProjects: z.enum(['verified', 'not verified']),
  otherProjectsReason: z.optional(text(2000)),
  notes: z.array(text(2000)).check(z.maxLength(10)),
  /** Names still read or not verified first (at most 200). */
  names: z.array(ReadersNameView).check(z.maxLength(200)),
  /** Names in the report, also those left out of `names`. */
  total: z.int().check(z.nonnegative()),
});
export type ReadersView = z.infer<typeof ReadersView>;

export const ShimsSection = z.object({ graceDays: z.int().check(z.positive()), today: z.string(), shims: z.array(ShimView), readers: z.optional(ReadersView) });
export type ShimsSection = z.infer<typeof ShimsSection>;

const definitionCount = z.object({ pulled: z.int().check(z.nonnegative()), legacy: z.int().check(z.nonnegative()) });

/** Pulled warehouse definitions (views, routines, scheduled queries) and how many still read legacy names. */
export const DefinitionsSection = z.object({
  /** The definitions folder, relative to the manifest. */
  dir: z.string().check(z.maxLength(1024)),
  views: definitionCount,
  materializedViews: definitionCount,
  routines: definitionCount,
  scheduled: definitionCount,
  /** Files that still read legacy names, most references first (at most 50). */
  files: z.array(z.object({ file: z.string().check(z.maxLength(2100)), kind: z.enum(['view', 'materializedView', 'routine', 'scheduled']), references: z.int().check(z.nonnegative()) })),
});
export type DefinitionsSection = z.infer<typeof DefinitionsSection>;

export const DashboardState = z.object({
  version: z.literal(PROTOCOL_VERSION),
  generatedAt: isoTime,
  manifest: z.object({ file: z.string(), project: z.string() }),
  /** Problems met while gathering (unreadable lines, a broken manifest); shown, never fatal. */
  problems: z.array(z.string().check(z.maxLength(4000))),
  phases: PhasesSection,
  mappings: MappingsSection,
  references: ReferencesSection,
  validation: ValidationSection,
  shims: ShimsSection,
  definitions: DefinitionsSection,
});
export type DashboardState = z.infer<typeof DashboardState>;

export const SECTION_NAMES = ['phases', 'mappings', 'references', 'validation', 'shims', 'definitions'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Host → webview: a full snapshot, or one section that changed. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: DashboardState }),
  z.object({ type: z.literal('phases'), phases: PhasesSection }),
  z.object({ type: z.literal('mappings'), mappings: MappingsSection }),
  z.object({ type: z.literal('references'), references: ReferencesSection }),
  z.object({ type: z.literal('validation'), validation: ValidationSection }),
  z.object({ type: z.literal('shims'), shims: ShimsSection }),
  z.object({ type: z.literal('definitions'), definitions: DefinitionsSection }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Webview → host. Phase actions go through the same confirmations as the palette commands. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), version: z.literal(PROTOCOL_VERSION) }),
  z.object({ type: z.literal('preview-phase'), phaseId }),
  z.object({ type: z.literal('run-phase'), phaseId }),
  z.object({ type: z.literal('reveal-mapping'), index: mappingIndex, from: z.string().check(z.maxLength(2100)) }),
  /** Optionally filtered to one legacy dataset's references. */
  z.object({ type: z.literal('open-problems'), dataset: z.optional(z.string().check(z.maxLength(1024))) }),
  z.object({ type: z.literal('open-report') }),
  /** Runs Pull Warehouse Definitions (trusted workspaces only). */
  z.object({ type: z.literal('pull-definitions') }),
  /** Opens a pulled definition file, relative to the definitions folder. */
  z.object({ type: z.literal('open-definition'), file: z.string().check(z.maxLength(2100)) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, data: unknown, direction: string): Parsed<T> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, message: r.data };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  const kind = typeof data === 'object' && data !== null && 'type' in data ? ` "${String((data as { type: unknown }).type).slice(0, 40)}"` : '';
  return { ok: false, error: `rejected ${direction} message${kind}${where}: ${issue?.message ?? 'invalid'}` };
}

export const parseHostMessage = (data: unknown): Parsed<HostMessage> => parseWith(HostMessage, data, 'host→webview');
export const parseWebviewMessage = (data: unknown): Parsed<WebviewMessage> => parseWith(WebviewMessage, data, 'webview→host');

/** Which sections differ between two states: the host sends only those. */
export function changedSections(before: DashboardState | undefined, after: DashboardState): SectionName[] {
  if (!before) return [...SECTION_NAMES];
  return SECTION_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}
