import type { Resolution } from '../match/resolver';
import { perResolution, renameEdits } from './resolved';
import type { ActiveSeverity, Rule, RuleMeta } from './types';

/** Days before the end of the grace period from which the configured severity applies. */
export const SHIM_WARNING_DAYS = 7;
const DAY = 86_400_000;

export const meta: RuleMeta = {
  id: 'shim-reference',
  defaultSeverity: 'warning',
  fixable: true,
  fixSafety: 'safe',
  description: 'A legacy name that is now a compatibility (shim) view with a grace period.',
  docs: `Flags references to mappings with \`status: "shimmed"\`: the legacy name still works because a view of the same name points at the new table, but only for \`shims.graceDays\` days from the mapping's \`shimmedOn\` date.

**Why:** shim views are dropped after the grace period; every reader must move before then.

**Severity over time:** \`info\` while more than ${SHIM_WARNING_DAYS} days are left, the configured severity (default \`warning\`) in the last ${SHIM_WARNING_DAYS} days or when \`shimmedOn\` is unknown, \`error\` once the grace period has ended.

**Example:** with \`shimmedOn: "2025-11-14"\` and \`graceDays: 30\`, \`models_v4.production_training_data_1m\` is a warning from 2025-12-07 and an error from 2025-12-14.

**Fix (safe):** rename to the mapping's \`to\`, keeping the reference's form.`,
};

/** Severity and wording per mapping for the last (severity, grace, today) asked: every reference to one shim shares them. */
interface GraceMemo { configured: ActiveSeverity; graceDays: number; today: Date; todayTime: number; shimmedOn?: string; out: { severity: ActiveSeverity; when: string } }
const graceMemo = new WeakMap<object, GraceMemo>();
function graceOf(mapping: { shimmedOn?: string }, configured: ActiveSeverity, graceDays: number, today: Date): { severity: ActiveSeverity; when: string } {
  const m = graceMemo.get(mapping);
  if (m && m.today === today && m.todayTime === today.getTime() && m.configured === configured && m.graceDays === graceDays && m.shimmedOn === mapping.shimmedOn) return m.out;
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const out = computeGrace(mapping, configured, graceDays, todayUtc);
  graceMemo.set(mapping, { configured, graceDays, today, todayTime: today.getTime(), shimmedOn: mapping.shimmedOn, out });
  return out;
}

function computeGrace(mapping: { shimmedOn?: string }, configured: ActiveSeverity, graceDays: number, todayUtc: number): { severity: ActiveSeverity; when: string } {
  let severity: ActiveSeverity = configured;
  let when = 'its grace period has no start date (set "shimmedOn")';
  if (mapping.shimmedOn) {
    const end = Date.parse(`${mapping.shimmedOn}T00:00:00Z`) + graceDays * DAY;
    const daysLeft = Math.round((end - todayUtc) / DAY);
    const endDate = new Date(end).toISOString().slice(0, 10);
    if (daysLeft <= 0) {
      severity = 'error';
      when = `its grace period ended on ${endDate}`;
    } else {
      if (daysLeft > SHIM_WARNING_DAYS) severity = 'info';
      when = `its grace period ends on ${endDate} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})`;
    }
  }
  return { severity, when };
}

/** The message per resolution and grace wording. */
const messageOf = perResolution((r: Resolution, when: string) => `${r.from} is a shim view${r.to ? ` over ${r.to}` : ''}; ${when}`);

export const rule: Rule = {
  meta,
  subjects: 'resolved',
  check(subject, ctx) {
    const r = subject.resolution;
    // dataset metadata and wildcards that cannot be rewritten are legacy-reference's
    if (!r || r.mapping.status !== 'shimmed' || r.dataset || r.unfixable !== undefined) return undefined;
    const configured = ctx.severityOf('shim-reference');
    if (configured === 'off') return undefined;
    const { severity, when } = graceOf(r.mapping, configured, ctx.manifest.shims.graceDays, ctx.today);
    const edits = r.to === undefined ? [] : renameEdits(ctx.text, subject, r.to);
    return {
      message: messageOf(r, when),
      severity,
      deprecated: true,
      mappingIndex: r.mappingIndex,
      fix: edits.length ? { title: `Rename to ${r.to}`, safety: 'safe', edits } : undefined,
    };
  },
};
