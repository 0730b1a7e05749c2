/**
 * The dashboard model: manifest + phase statuses + reference snapshots +
 * validation report → the DashboardState the webview renders. Pure (no I/O, no
 * clock: `now` is passed in) so it is tested without an editor.
 */
import type { LoadedManifest } from '../manifest/load';
import type { PhaseStatus } from '../phases/types';
import {
  CONTENT_VERDICTS,
  PROTOCOL_VERSION,
  TIER_STATUSES,
  type ContentPairView,
  type DashboardState,
  type DefinitionsSection,
  type MappingsSection,
  type ReferencesSection,
  type ShimsSection,
  type ShimView,
  type ReadersView,
  type ValidationCheckView,
  type ValidationSection,
} from '../../protocol/messages';
import type { ReferenceSnapshot } from './snapshots';
import type { ReadersReport } from '../readers/types';
import { buildPhasesSection } from './timeline';
import { buildDefinitionsSection } from '../definitions/summary';

export interface ValidationReportInput {
  ts?: string;
  checks: { id: string; family?: string; subject?: string; description?: string; legacy?: unknown; new?: unknown; pass: boolean; skipped?: boolean; detail?: string; content?: unknown }[];
}

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const text = (v: unknown, max: number) => String(v ?? '').slice(0, max);

/** The content checks' results per pair; a content check without details (skipped before comparing) shows as not validated. */
export function buildContentPairs(report: ValidationReportInput): ContentPairView[] {
  const out: ContentPairView[] = [];
  for (const c of report.checks) {
    if (!c.id.startsWith('content:')) continue;
    const r = (c.content ?? {}) as Record<string, unknown>;
    const verdict = (CONTENT_VERDICTS as readonly string[]).includes(String(r.verdict)) ? (r.verdict as ContentPairView['verdict']) : c.skipped ? 'not-validated' : c.pass ? 'equal' : 'different';
    const tiers = (Array.isArray(r.tiers) ? r.tiers : []).slice(0, 3).map((t: Record<string, unknown>) => ({
      tier: Number(t.tier) | 0,
      name: text(t.name, 200),
      status: (TIER_STATUSES as readonly string[]).includes(String(t.status)) ? (t.status as ContentPairView['tiers'][number]['status']) : 'not-validated',
      detail: text(t.detail, 2000),
    }));
    const pair: ContentPairView = {
      id: text(c.id, 500),
      a: text(r.a ?? '', 2100),
      b: text(r.b ?? c.subject ?? '', 2100),
      verdict,
      tiers,
      normalisations: (Array.isArray(r.normalisations) ? r.normalisations : []).slice(0, 50).map((n) => text(n, 2000)),
      sample: (Array.isArray(r.sample) ? r.sample : []).slice(0, 5).map((n) => text(n, 2000)),
      detail: text(c.detail, 4000),
    };
    const rowsA = count(r.rowsA);
    const rowsB = count(r.rowsB);
    const differing = count(r.differing);
    if (rowsA !== undefined) pair.rowsA = rowsA;
    if (rowsB !== undefined) pair.rowsB = rowsB;
    if (differing !== undefined) pair.differing = differing;
    if (Array.isArray(r.key)) pair.key = r.key.slice(0, 50).map((k) => text(k, 300));
    out.push(pair);
  }
  // Differences first, then what could not be validated, then the equal pairs.
  const rank = { different: 0, 'not-validated': 1, equal: 2 } as const;
  return out.sort((x, y) => rank[x.verdict] - rank[y.verdict]);
}

export interface DashboardInputs {
  loaded: LoadedManifest;
  statuses: readonly PhaseStatus[];
  journalEvents: number;
  snapshots: readonly ReferenceSnapshot[];
  validation?: ValidationReportInput;
  /** Pulled warehouse definitions and how many still read legacy names (default: none pulled). */
  definitions?: DefinitionsSection;
  /** The last `bqmigrate readers` report (`.bqmigrate/readers.json`), when there is one. */
  readers?: ReadersReport;
  problems?: string[];
  now: Date;
}

const DAY_MS = 86_400_000;

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function buildMappingsSection(loaded: LoadedManifest): MappingsSection {
  const byStatus = { planned: 0, migrated: 0, shimmed: 0, archived: 0, dropped: 0 };
  const unmapped: MappingsSection['unmapped'] = [];
  const columns = { total: 0, byStatus: { planned: 0, migrated: 0, shimmed: 0, archived: 0, dropped: 0 } };
  let total = 0;
  loaded.manifest.mappings.forEach((m, index) => {
    if (m.kind === 'column') {
      columns.total++;
      columns.byStatus[m.status]++;
      return;
    }
    total++;
    byStatus[m.status]++;
    if (m.to === undefined && m.status !== 'dropped') unmapped.push({ index, from: m.from });
  });
  return { total, byStatus, unmapped, ...(columns.total ? { columns } : {}) };
}

export function buildReferencesSection(snapshots: readonly ReferenceSnapshot[]): ReferencesSection {
  const last = snapshots[snapshots.length - 1];
  const byDataset = Object.entries(last?.byDataset ?? {})
    .filter(([, count]) => count > 0)
    .map(([dataset, count]) => ({ dataset, count }))
    .sort((a, b) => b.count - a.count || a.dataset.localeCompare(b.dataset));
  const section: ReferencesSection = { byDataset, history: snapshots.map((s) => ({ ts: s.ts, total: s.total })) };
  if (last) {
    section.total = last.total;
    section.lastScan = last.ts;
  }
  return section;
}

function checkValue(v: unknown): ValidationCheckView['legacy'] {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.slice(0, 2000);
  return JSON.stringify(v).slice(0, 2000);
}

export function buildValidationSection(report: ValidationReportInput | undefined): ValidationSection {
  if (!report) return { checks: [], passed: 0, failed: 0, skipped: 0, reportAvailable: false };
  const checks = report.checks.map((c): ValidationCheckView => {
    const view: ValidationCheckView = { id: c.id, description: c.description ?? c.id, pass: c.pass };
    if (c.family !== undefined) view.family = c.family;
    if (c.subject !== undefined) view.subject = c.subject.slice(0, 2100);
    if (c.skipped) view.skipped = true;
    const legacy = checkValue(c.legacy);
    const next = checkValue(c.new);
    if (legacy !== undefined) view.legacy = legacy;
    if (next !== undefined) view.new = next;
    if (c.detail) view.detail = c.detail.slice(0, 4000);
    return view;
  });
  // Failures first: they are what a person opens the table for; skipped checks last.
  const rank = (c: ValidationCheckView) => (c.skipped ? 2 : c.pass ? 1 : 0);
  checks.sort((a, b) => rank(a) - rank(b));
  const skipped = checks.filter((c) => c.skipped).length;
  const passed = checks.filter((c) => c.pass && !c.skipped).length;
  const section: ValidationSection = { checks, passed, failed: checks.filter((c) => !c.pass && !c.skipped).length, skipped, reportAvailable: true };
  if (report.ts) section.ts = report.ts;
  const content = buildContentPairs(report);
  if (content.length) section.content = content;
  return section;
}

/** The readers report as the dashboard shows it: names still read or not verified first, at most 200, five readers each. */
export function buildReadersView(report: ReadersReport): ReadersView {
  const rank = (n: ReadersReport['names'][number]) => (n.readers.length ? 0 : n.quiet ? 2 : 1);
  const names = [...report.names].sort((a, b) => rank(a) - rank(b) || b.jobs - a.jobs || a.name.localeCompare(b.name)).slice(0, 200);
  return {
    generatedAt: report.generatedAt,
    days: report.days,
    backend: report.backend,
    otherProjects: report.coverage.otherProjects,
    ...(report.coverage.otherProjectsReason ? { otherProjectsReason: report.coverage.otherProjectsReason.slice(0, 2000) } : {}),
    notes: report.notes.slice(0, 10).map((n) => n.slice(0, 2000)),
    names: names.map((n) => ({
      index: n.mappingIndex,
      name: n.name,
      shim: n.shim,
      quiet: n.quiet,
      otherProjects: n.otherProjects,
      jobs: n.jobs,
      ...(n.lastRead ? { lastRead: n.lastRead } : {}),
      readers: [...n.readers].sort((a, b) => b.jobs - a.jobs || b.lastRead.localeCompare(a.lastRead)).slice(0, 5).map((r) => ({ principal: r.principal, project: r.project, jobs: r.jobs, lastRead: r.lastRead, sampleJobId: r.sampleJobId, cacheHits: r.cacheHits })),
    })),
    total: report.names.length,
  };
}

export function buildShimsSection(loaded: LoadedManifest, now: Date, readers?: ReadersReport): ShimsSection {
  const graceDays = loaded.manifest.shims.graceDays;
  const today = utcDay(now);
  const todayMs = Date.parse(today);
  const shims: ShimView[] = [];
  loaded.manifest.mappings.forEach((m, index) => {
    if (m.kind === 'column' || m.status !== 'shimmed') return;
    const view: ShimView = { index, from: m.from };
    if (m.to) view.to = m.to;
    if (m.shimmedOn) {
      const startMs = Date.parse(m.shimmedOn);
      if (Number.isFinite(startMs)) {
        view.shimmedOn = m.shimmedOn;
        const expiresMs = startMs + graceDays * DAY_MS;
        view.expires = utcDay(new Date(expiresMs));
        view.daysLeft = Math.round((expiresMs - todayMs) / DAY_MS);
      }
    }
    // A templated mapping is several legacy names: its newest read and all their jobs.
    const names = readers?.names.filter((n) => n.mappingIndex === index) ?? [];
    if (names.length) view.reads = names.reduce((k, n) => k + n.jobs, 0);
    const read = names.map((n) => n.lastRead ?? '').sort().at(-1);
    if (read) view.lastRead = read.slice(0, 10);
    shims.push(view);
  });
  // Soonest expiry first; shims without a date last.
  shims.sort((a, b) => (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.index - b.index);
  return { graceDays, today, shims, ...(readers ? { readers: buildReadersView(readers) } : {}) };
}

export function buildDashboardState(inputs: DashboardInputs): DashboardState {
  const { loaded, now } = inputs;
  return {
    version: PROTOCOL_VERSION,
    generatedAt: now.toISOString(),
    manifest: { file: loaded.file, project: loaded.manifest.project },
    problems: inputs.problems ?? [],
    phases: buildPhasesSection(loaded.manifest, inputs.statuses, inputs.journalEvents, now),
    mappings: buildMappingsSection(loaded),
    references: buildReferencesSection(inputs.snapshots),
    validation: buildValidationSection(inputs.validation),
    shims: buildShimsSection(loaded, now, inputs.readers),
    definitions: inputs.definitions ?? buildDefinitionsSection(loaded.manifest.definitions?.dir ?? 'warehouse', []),
  };
}
