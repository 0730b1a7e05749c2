/**
 * The linter for one manifest: scan a text, resolve each reference, run every
 * rule, drop suppressed findings. `lintText` is what the editor, the workers
 * and the CLI all call.
 */
import type { LoadedManifest } from '../manifest/load';
import type { Severity } from '../manifest/schema';
import { compilePathMatcher, findPathRefs, type PathMatcher } from '../match/paths';
import { MappingResolver, type Resolution } from '../match/resolver';
import { NamingChecker } from '../naming/explain';
import { rules } from '../rules/index';
import { applySuppressions } from '../rules/suppressions';
import type { RuleContext, RuleId, RuleSubject, Violation } from '../rules/types';
import { languageFamilyOf, mightContainRefs, scanText } from '../scan/index';
import type { PathRef, ScanOptions, Span, TableRef } from '../scan/types';
import { LineIndex } from '../text/positions';
import { createIncludeMatcher } from './globs';

export interface LinterOptions {
  /** Overrides of the manifest's `rules` (CLI `--rule`, editor settings). */
  rules?: Partial<Record<RuleId, Severity>>;
  /** "Today" for shim grace periods; tests pin it. */
  today?: Date;
}

export interface LintResult {
  violations: Violation[];
  refs: { ref: TableRef | PathRef; resolution?: Resolution }[];
}

export interface Linter {
  readonly loaded: LoadedManifest;
  lintText(text: string, filePath: string, languageId?: string): LintResult;
  resolve(ref: TableRef): Resolution | undefined;
  isIncluded(filePath: string): boolean;
  readonly scanOptions: ScanOptions;
}

/** Lower-cased datasets the manifest knows: approved, legacy, named in a mapping, and the archive. */
export function knownDatasetsOf(loaded: LoadedManifest): { approved: Set<string>; known: Set<string> } {
  const m = loaded.manifest;
  const approved = new Set(Object.keys(m.datasets).map((d) => d.toLowerCase()));
  const known = new Set([...approved, ...Object.keys(m.legacyDatasets).map((d) => d.toLowerCase()), m.archive.dataset.toLowerCase()]);
  for (const map of m.mappings) {
    if (map.kind !== 'table') continue;
    for (const side of [map.from, map.to]) {
      const dataset = side?.split('.')[0];
      if (dataset && !dataset.includes('{')) known.add(dataset.toLowerCase());
    }
  }
  return { approved, known };
}

export function createLinter(loaded: LoadedManifest, options: LinterOptions = {}, isIncluded: (file: string) => boolean = createIncludeMatcher(loaded)): Linter {
  const manifest = loaded.manifest;
  const resolver = new MappingResolver(manifest);
  const pathMatchers: PathMatcher[] = resolver.paths.map(compilePathMatcher);
  const naming = new NamingChecker(manifest);
  const { approved, known } = knownDatasetsOf(loaded);
  const scanOptions: ScanOptions = { knownDatasets: known, project: manifest.project };
  const configured = new Map<RuleId, Severity>();
  for (const r of rules) configured.set(r.meta.id, options.rules?.[r.meta.id] ?? manifest.rules[r.meta.id] ?? r.meta.defaultSeverity);
  const active = rules.filter((r) => configured.get(r.meta.id) !== 'off');
  const activeSeverity = active.map((r) => configured.get(r.meta.id) as Exclude<Severity, 'off'>);
  const today = options.today ?? new Date();
  const projectLc = manifest.project.toLowerCase();

  const project = manifest.project;
  /** Another explicit project: someone else's table. The project is spelled the manifest's way nearly always, so compare before folding. */
  const foreign = (ref: TableRef) => {
    const p = ref.project;
    return p !== undefined && p.text !== project && p.placeholders.length === 0 && p.text.toLowerCase() !== projectLc;
  };

  function lintText(text: string, filePath: string, languageId?: string): LintResult {
    const family = languageFamilyOf(languageId ?? filePath) ?? (languageId ? 'plain' : undefined);
    if (!family) return { violations: [], refs: [] }; // a known binary format
    const mayHavePaths = pathMatchers.some((m) => !m.needle || text.includes(m.needle));
    if (!mayHavePaths && !mightContainRefs(text, scanOptions, family)) return { violations: [], refs: [] };
    const scan = scanText(text, family, scanOptions);
    // Each subject is also the reference's entry in `refs` (a subject has the entry's fields and its kind).
    const subjects: RuleSubject[] = [];
    for (const ref of scan.refs) {
      if (foreign(ref)) continue;
      subjects.push({ kind: 'table', ref, resolution: resolver.resolve(ref) });
    }
    if (mayHavePaths) {
      const inComment = (offset: number) => scan.comments.some((c) => c.start <= offset && offset < c.end);
      const taken: Span[] = scan.refs.map((r) => r.range);
      for (const p of findPathRefs(text, pathMatchers, (o) => (inComment(o) ? 'comment' : 'code'), taken)) subjects.push({ kind: 'path', ref: p.ref, resolution: p.resolution });
    }
    const refs: LintResult['refs'] = subjects;
    const ctx: RuleContext = { manifest, naming, approvedDatasets: approved, knownDatasets: known, today, text, severityOf: (id) => configured.get(id) ?? 'off' };
    let violations: Violation[] = [];
    let sorted = true;
    let lastStart = -1;
    for (const subject of subjects) {
      for (let k = 0; k < active.length; k++) {
        const rule = active[k]!;
        const severity = activeSeverity[k]!;
        const f = rule.check(subject, ctx);
        if (!f) continue;
        const range = f.range ?? subject.ref.range;
        if (range.start < lastStart) sorted = false;
        lastStart = range.start;
        violations.push({
          ruleId: rule.meta.id,
          severity: f.severity ?? severity,
          message: f.message,
          range,
          fix: f.fix,
          deprecated: f.deprecated,
          ref: subject.ref,
          mappingIndex: f.mappingIndex ?? subject.resolution?.mappingIndex,
        });
      }
    }
    if (scan.suppressions.length > 0) {
      const index = new LineIndex(text);
      violations = applySuppressions(violations, scan.suppressions, (o) => index.positionAt(o).line);
    }
    // Rules run in id order per reference and references come sorted, so this is usually already in order.
    if (!sorted || hasTies(violations)) violations.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    return { violations, refs };
  }

  return { loaded, lintText, resolve: (ref) => (foreign(ref) ? undefined : resolver.resolve(ref)), isIncluded, scanOptions };
}

/** Two violations at one start whose rule ids are out of order (the only way an in-order list still needs sorting). */
function hasTies(violations: readonly Violation[]): boolean {
  for (let k = 1; k < violations.length; k++) {
    const a = violations[k - 1]!;
    const b = violations[k]!;
    if (a.range.start === b.range.start && a.ruleId.localeCompare(b.ruleId) > 0) return true;
  }
  return false;
}
