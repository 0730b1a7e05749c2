/**
 * The linter for one manifest: scan a text, resolve each reference, run every
 * rule, drop suppressed findings. `lintText` is what the editor, the workers
 * and the CLI all call.
 */
import type { LoadedManifest } from '../manifest/load';
import type { Severity } from '../manifest/schema';
import { compilePathMatcher, findPathRefs, type PathMatcher } from '../match/paths';
import { ColumnCatalog } from '../columns/catalog';
import { MappingResolver, type Resolution } from '../match/resolver';
import { columnViolations } from '../rules/legacy-column';
import { NamingChecker } from '../naming/explain';
import { rules } from '../rules/index';
import { applySuppressions } from '../rules/suppressions';
import type { RuleContext, RuleId, RuleSubject, Violation } from '../rules/types';
import { bytesCandidates, CandidateRegions, languageFor, literalsMayHoldRefs, mightContainRefs, restartable, scanSqlRange, scanText, type Candidates } from '../scan/index';
import type { PathRef, ScanOptions, Span, TableRef } from '../scan/types';
import { LineIndex } from '../text/positions';
import { createIncludeMatcher } from './globs';
import { appendAll, lowerBound } from '../arrays';

export interface LinterOptions {
  /** Overrides of the manifest's `rules` (CLI `--rule`, editor settings). */
  rules?: Partial<Record<RuleId, Severity>>;
  /** "Today" for shim grace periods; tests pin it. */
  today?: Date;
  /** Scan every text whole, without the prefilter: the reference the prefilter's recall is tested against. */
  exhaustive?: boolean;
}

export interface LintResult {
  violations: Violation[];
  refs: { ref: TableRef | PathRef; resolution?: Resolution }[];
}

/** What the prefilter found in a file's UTF-8 bytes (`mayFind`), handed to `lintText` with their text. */
export interface BytesVerdict {
  bytes: Uint8Array;
  /** Where references may start (byte offsets), for a language that holds SQL only in strings; else undefined. */
  candidates: Candidates | undefined;
}

export interface Linter {
  readonly loaded: LoadedManifest;
  /**
   * `verdict`: what `mayFind` said of this text's bytes: the text prefilter (the same test) is not run again,
   * and the scanner reads only the strings and comments that hold a candidate.
   */
  lintText(text: string, filePath: string, languageId?: string, verdict?: BytesVerdict): LintResult;
  /**
   * False when `lintText` of the text these UTF-8 bytes hold (valid UTF-8, a BOM allowed) finds nothing: no
   * candidate for a reference or a path mapping in them, or (JavaScript, JSON) none in a string. Decides on the
   * bytes, before any decoding.
   */
  mayFind(bytes: Uint8Array, filePath: string, languageId?: string): false | BytesVerdict;
  lintEdit(previous: { text: string; result: LintResult }, text: string, filePath: string, languageId?: string): LintResult;
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
  const exhaustive = options.exhaustive === true;
  const scanOptions: ScanOptions = { knownDatasets: known, project: manifest.project };
  const configured = new Map<RuleId, Severity>();
  for (const r of rules) configured.set(r.meta.id, options.rules?.[r.meta.id] ?? manifest.rules[r.meta.id] ?? r.meta.defaultSeverity);
  const active = rules.filter((r) => configured.get(r.meta.id) !== 'off');
  // Per subject only the rules that can flag it run, in id order.
  const forResolved = active.filter((r) => r.subjects === 'resolved');
  const forUnresolved = active.filter((r) => r.subjects === 'unresolved');
  // Column references are read per file from its table references (legacy-column), only when the manifest has column mappings.
  const columns = new ColumnCatalog(manifest, resolver);
  const columnSeverity = configured.get('legacy-column');
  const columnsActive = columns.size > 0 && columnSeverity !== undefined && columnSeverity !== 'off';
  const today = options.today ?? new Date();
  const projectLc = manifest.project.toLowerCase();

  const project = manifest.project;
  /** Another explicit project: someone else's table. The project is spelled the manifest's way nearly always, so compare before folding. */
  const foreign = (ref: TableRef) => {
    const p = ref.project;
    return p !== undefined && p.text !== project && p.placeholders.length === 0 && p.text.toLowerCase() !== projectLc;
  };

  /** A path mapping whose literal text holds a `;` could match across statements: then no re-lint is incremental. */
  const pathsSpanStatements = resolver.paths.some((c) => c.from.some((t) => t.kind === 'lit' && t.text.includes(';')));
  /** What an incremental re-lint needs to know about a SQL result: its text and where its statements end. */
  const sqlMemo = new WeakMap<LintResult, { text: string; semicolons: number[] }>();

  function tableSubjects(refs: readonly TableRef[]): RuleSubject[] {
    const subjects: RuleSubject[] = [];
    for (const ref of refs) {
      if (foreign(ref)) continue;
      subjects.push({ kind: 'table', ref, resolution: resolver.resolve(ref) });
    }
    return subjects;
  }

  /** Every active rule on every subject, in (start, rule id) order. */
  function evaluate(text: string, subjects: readonly RuleSubject[]): Violation[] {
    const ctx: RuleContext = { manifest, naming, approvedDatasets: approved, knownDatasets: known, today, text, severityOf: (id) => configured.get(id) ?? 'off' };
    const violations: Violation[] = [];
    let sorted = true;
    let lastStart = -1;
    for (const subject of subjects) {
      const which = subject.resolution === undefined ? forUnresolved : forResolved;
      for (let k = 0; k < which.length; k++) {
        const rule = which[k]!;
        const severity = configured.get(rule.meta.id) as Exclude<Severity, 'off'>;
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
    // Rules run in id order per reference and references come sorted, so this is usually already in order.
    if (!sorted || hasTies(violations)) violations.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    return violations;
  }

  const needles = pathMatchers.map((m) => (m.needle ? Buffer.from(m.needle, 'utf8') : undefined));

  function mayFind(bytes: Uint8Array, filePath: string, languageId?: string): false | BytesVerdict {
    const family = languageFor(filePath, languageId);
    if (!family) return false; // a known binary format: lintText finds nothing
    if (exhaustive) return { bytes, candidates: undefined };
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const found = bytesCandidates(view, scanOptions, family);
    const paths = needles.some((n) => n === undefined || view.includes(n));
    if (found === false) return paths ? { bytes, candidates: { keywords: [], names: [] } } : false;
    if (found === true) return { bytes, candidates: undefined };
    if (paths) return { bytes, candidates: found };
    // Candidates, but perhaps all in code (`delete x.y`, `import a from './b'`), or in strings that hold no reference
    // (`Using the scope ${scope}`): then the scan finds nothing.
    return literalsMayHoldRefs(view, family, found, scanOptions) ? { bytes, candidates: found } : false;
  }

  function lintText(text: string, filePath: string, languageId?: string, verdict?: BytesVerdict): LintResult {
    const family = languageFor(filePath, languageId);
    if (!family) return { violations: [], refs: [] }; // a known binary format
    const mayHavePaths = pathMatchers.some((m) => !m.needle || text.includes(m.needle));
    if (!exhaustive && verdict === undefined && !mayHavePaths && !mightContainRefs(text, scanOptions, family)) return { violations: [], refs: [] };
    const sqlScan = family === 'sql' ? scanSqlRange(text, scanOptions) : undefined;
    const regions = verdict?.candidates !== undefined ? new CandidateRegions(verdict.bytes, text, verdict.candidates) : undefined;
    const scan = sqlScan ?? scanText(text, family, scanOptions, regions);
    // Each subject is also the reference's entry in `refs` (a subject has the entry's fields and its kind).
    const subjects = tableSubjects(scan.refs);
    if (mayHavePaths) {
      const inComment = (offset: number) => scan.comments.some((c) => c.start <= offset && offset < c.end);
      const taken: Span[] = scan.refs.map((r) => r.range);
      for (const p of findPathRefs(text, pathMatchers, (o) => (inComment(o) ? 'comment' : 'code'), taken)) subjects.push({ kind: 'path', ref: p.ref, resolution: p.resolution });
    }
    let violations = evaluate(text, subjects);
    if (columnsActive) {
      const found = columnViolations(text, family, scan.refs.filter((r) => !foreign(r)), columns, columnSeverity as Exclude<Severity, 'off'>);
      if (found.length > 0) violations = violations.concat(found).sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    }
    if (scan.suppressions.length > 0) {
      const index = new LineIndex(text);
      violations = applySuppressions(violations, scan.suppressions, (o) => index.positionAt(o).line);
    }
    const result: LintResult = { violations, refs: subjects };
    if (sqlScan && sqlScan.suppressions.length === 0) sqlMemo.set(result, { text, semicolons: sqlScan.semicolons });
    return result;
  }

  function lintEdit(previous: { text: string; result: LintResult }, text: string, filePath: string, languageId?: string): LintResult {
    const memo = sqlMemo.get(previous.result);
    const family = languageFor(filePath, languageId);
    // A column's scope is its whole statement and the CTEs before it: no window re-lint.
    if (columnsActive) return lintText(text, filePath, languageId);
    if (memo === undefined || memo.text !== previous.text || family !== 'sql') return lintText(text, filePath, languageId);
    const mayHavePaths = pathMatchers.some((m) => !m.needle || text.includes(m.needle));
    if (pathsSpanStatements || (!mayHavePaths && !mightContainRefs(text, scanOptions, family))) return lintText(text, filePath, languageId);
    const old = memo.text;
    // The edit: [p, oldEnd) of the old text became [p, p + delta + (oldEnd - p)) of the new one.
    const max = Math.min(old.length, text.length);
    let p = 0;
    while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let same = 0;
    while (same < max - p && old.charCodeAt(old.length - 1 - same) === text.charCodeAt(text.length - 1 - same)) same++;
    const oldEnd = old.length - same;
    const delta = text.length - old.length;
    const semis = memo.semicolons;
    // Restart just after the last `;` before the edit; stop just after the first `;` after it.
    let k = lowerBound(semis, p) - 1;
    while (k >= 0 && !restartable(old, semis[k]!)) k--;
    const from = k >= 0 ? semis[k]! + 1 : 0;
    let kAfter = lowerBound(semis, oldEnd);
    while (kAfter < semis.length && !restartable(old, semis[kAfter]!)) kAfter++;
    const oldTo = kAfter < semis.length ? semis[kAfter]! + 1 : old.length;
    const to = oldTo + delta;
    const scan = scanSqlRange(text, scanOptions, from, to);
    // The window must end on a `;` the new text reads as code too, else the edit reaches further: lint it whole.
    if (scan.suppressions.length > 0 || (oldTo < old.length && (scan.semicolons[scan.semicolons.length - 1] !== to - 1 || !restartable(text, to - 1)))) return lintText(text, filePath, languageId);
    const fresh = tableSubjects(scan.refs);
    const freshPaths: RuleSubject[] = [];
    if (mayHavePaths) {
      const inComment = (offset: number) => scan.comments.some((c) => c.start <= offset && offset < c.end);
      const taken: Span[] = scan.refs.map((r) => r.range);
      for (const m of findPathRefs(text, pathMatchers, (o) => (inComment(o) ? 'comment' : 'code'), taken, from, to)) freshPaths.push({ kind: 'path', ref: m.ref, resolution: m.resolution });
    }
    const freshViolations = evaluate(text, freshPaths.length > 0 ? [...fresh, ...freshPaths] : fresh);
    // lintText lists table references first, then path references: keep the two runs apart.
    const previousRefs = previous.result.refs as RuleSubject[];
    const firstPath = previousRefs.findIndex((r) => r.kind === 'path');
    const before = firstPath < 0 ? previousRefs : previousRefs.slice(0, firstPath);
    const beforePaths = firstPath < 0 ? [] : previousRefs.slice(firstPath);
    const beforeViolations = previous.result.violations;
    const refs: RuleSubject[] = [];
    const violations: Violation[] = [];
    const moved = new Set<object>();
    const move = (span: Span) => {
      if (delta === 0 || moved.has(span)) return;
      moved.add(span);
      span.start += delta;
      span.end += delta;
    };
    // Where the kept parts start, found before anything moves (a violation's range is often its reference's).
    const refsFrom = firstAtOrAfter(before, from, (r) => r.ref.range.start);
    const refsAfter = firstAtOrAfter(before, oldTo, (r) => r.ref.range.start);
    const violationsFrom = firstAtOrAfter(beforeViolations, from, (v) => v.range.start);
    const violationsAfter = firstAtOrAfter(beforeViolations, oldTo, (v) => v.range.start);
    for (let i = 0; i < refsFrom; i++) refs.push(before[i]!);
    appendAll(refs, fresh);
    for (let i = refsAfter; i < before.length; i++) {
      const subject = before[i]!;
      const ref = subject.ref as TableRef;
      move(ref.range);
      for (const part of [ref.project, ref.dataset, ref.table]) {
        if (part === undefined) continue;
        move(part.range);
        for (const ph of part.placeholders) move(ph.range);
      }
      refs.push(subject);
    }
    const pathsFrom = firstAtOrAfter(beforePaths, from, (r) => r.ref.range.start);
    const pathsAfter = firstAtOrAfter(beforePaths, oldTo, (r) => r.ref.range.start);
    for (let i = 0; i < pathsFrom; i++) refs.push(beforePaths[i]!);
    appendAll(refs, freshPaths);
    for (let i = pathsAfter; i < beforePaths.length; i++) {
      move(beforePaths[i]!.ref.range);
      refs.push(beforePaths[i]!);
    }
    for (let j = 0; j < violationsFrom; j++) violations.push(beforeViolations[j]!);
    appendAll(violations, freshViolations);
    for (let j = violationsAfter; j < beforeViolations.length; j++) {
      const v = beforeViolations[j]!;
      move(v.range);
      if (v.fix) for (const e of v.fix.edits) move(e);
      violations.push(v);
    }
    const semicolons: number[] = [];
    for (k = 0; k < semis.length && semis[k]! < from; k++) semicolons.push(semis[k]!);
    appendAll(semicolons, scan.semicolons);
    for (k = kAfter + 1; k < semis.length; k++) semicolons.push(semis[k]! + delta);
    const result: LintResult = { violations, refs };
    sqlMemo.set(result, { text, semicolons });
    return result;
  }

  return { loaded, lintText, mayFind, lintEdit, resolve: (ref) => (foreign(ref) ? undefined : resolver.resolve(ref)), isIncluded, scanOptions };
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

/** Index of the first item whose key is ≥ x, in items sorted by key (their count when none). */
function firstAtOrAfter<T>(items: readonly T[], x: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

