/**
 * The dashboard's messages, both ways, as zod schemas (the single source of the
 * types). Shared by the extension host (src/extension/dashboard) and the webview
 * bundle (webview/); it may import only zod, so it bundles into both.
 * Every message is parsed on arrival: a bad one is logged and dropped, never thrown.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

export const PHASE_STATES = ['not-started', 'in-progress', 'complete', 'failed'] as const;
export const PhaseState = z.enum(PHASE_STATES);
export type PhaseState = z.infer<typeof PhaseState>;

export const MAPPING_STATES = ['planned', 'migrated', 'shimmed', 'archived', 'dropped'] as const;
export const MappingState = z.enum(MAPPING_STATES);
export type MappingState = z.infer<typeof MappingState>;

const isoTime = z.string().min(1).max(64);
const phaseId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).max(200);
const mappingIndex = z.number().int().nonnegative();

export const PhaseView = z.object({
  id: phaseId,
  title: z.string().max(500),
  status: PhaseState,
  start: isoTime.optional(),
  end: isoTime.optional(),
  /** End − start, or now − start while in progress. */
  durationMs: z.number().nonnegative().optional(),
  steps: z.number().int().nonnegative(),
  stepsDone: z.number().int().nonnegative(),
  error: z.string().max(4000).optional(),
});
export type PhaseView = z.infer<typeof PhaseView>;

export const PhasesSection = z.object({
  phases: z.array(PhaseView),
  /** The phase to take next (first not complete whose dependencies are), with its next step. */
  next: z.object({ phaseId, title: z.string(), step: z.string().optional(), retry: z.boolean() }).optional(),
  journalEvents: z.number().int().nonnegative(),
});
export type PhasesSection = z.infer<typeof PhasesSection>;

export const MappingEntry = z.object({ index: mappingIndex, from: z.string().max(2100), to: z.string().max(2100).optional() });
export type MappingEntry = z.infer<typeof MappingEntry>;

export const MappingsSection = z.object({
  total: z.number().int().nonnegative(),
  byStatus: z.object({ planned: z.number().int(), migrated: z.number().int(), shimmed: z.number().int(), archived: z.number().int(), dropped: z.number().int() }),
  /** Inventory objects (and other table mappings) with no target yet. */
  unmapped: z.array(MappingEntry),
});
export type MappingsSection = z.infer<typeof MappingsSection>;

export const ReferencesSection = z.object({
  /** Legacy references in the last full scan; undefined before the first scan. */
  total: z.number().int().nonnegative().optional(),
  lastScan: isoTime.optional(),
  byDataset: z.array(z.object({ dataset: z.string(), count: z.number().int().nonnegative() })),
  history: z.array(z.object({ ts: isoTime, total: z.number().int().nonnegative() })),
});
export type ReferencesSection = z.infer<typeof ReferencesSection>;

const checkValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const ValidationCheckView = z.object({
  id: z.string().max(500),
  family: z.string().max(200).optional(),
  description: z.string().max(2000),
  legacy: checkValue.optional(),
  new: checkValue.optional(),
  pass: z.boolean(),
  detail: z.string().max(4000).optional(),
});
export type ValidationCheckView = z.infer<typeof ValidationCheckView>;

export const ValidationSection = z.object({
  /** When the latest validation ran; undefined when it never ran. */
  ts: isoTime.optional(),
  checks: z.array(ValidationCheckView),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  reportAvailable: z.boolean(),
});
export type ValidationSection = z.infer<typeof ValidationSection>;

export const ShimView = z.object({
  index: mappingIndex,
  from: z.string(),
  to: z.string().optional(),
  shimmedOn: z.string().optional(),
  expires: z.string().optional(),
  /** Negative once the grace period is over. */
  daysLeft: z.number().int().optional(),
  /** Last read of the legacy name (BigQuery INFORMATION_SCHEMA.JOBS), when known. */
  lastRead: z.string().optional(),
});
export type ShimView = z.infer<typeof ShimView>;

export const ShimsSection = z.object({ graceDays: z.number().int().positive(), today: z.string(), shims: z.array(ShimView) });
export type ShimsSection = z.infer<typeof ShimsSection>;

export const DashboardState = z.object({
  version: z.literal(PROTOCOL_VERSION),
  generatedAt: isoTime,
  manifest: z.object({ file: z.string(), project: z.string() }),
  /** Problems met while gathering (unreadable lines, a broken manifest); shown, never fatal. */
  problems: z.array(z.string().max(4000)),
  phases: PhasesSection,
  mappings: MappingsSection,
  references: ReferencesSection,
  validation: ValidationSection,
  shims: ShimsSection,
});
export type DashboardState = z.infer<typeof DashboardState>;

export const SECTION_NAMES = ['phases', 'mappings', 'references', 'validation', 'shims'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Host → webview: a full snapshot, or one section that changed. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: DashboardState }),
  z.object({ type: z.literal('phases'), phases: PhasesSection }),
  z.object({ type: z.literal('mappings'), mappings: MappingsSection }),
  z.object({ type: z.literal('references'), references: ReferencesSection }),
  z.object({ type: z.literal('validation'), validation: ValidationSection }),
  z.object({ type: z.literal('shims'), shims: ShimsSection }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Webview → host. Phase actions go through the same confirmations as the palette commands. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), version: z.literal(PROTOCOL_VERSION) }),
  z.object({ type: z.literal('preview-phase'), phaseId }),
  z.object({ type: z.literal('run-phase'), phaseId }),
  z.object({ type: z.literal('reveal-mapping'), index: mappingIndex, from: z.string().max(2100) }),
  /** Optionally filtered to one legacy dataset's references. */
  z.object({ type: z.literal('open-problems'), dataset: z.string().max(1024).optional() }),
  z.object({ type: z.literal('open-report') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, data: unknown, direction: string): Parsed<T> {
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
