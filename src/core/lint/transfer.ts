/**
 * Compact worker → main transfer of lint results: numbers in one Int32Array (moved, not copied) and each
 * short vocabulary string once. Structured-cloning ~400,000 violation objects cost more than linting them.
 * Results of any other shape are sent as they are (`encodeResults` returns undefined).
 */
import type { UnscannedReason } from './unscanned';
import type { Violation } from '../rules/types';
import type { FileLintResult, ResolvedReference, ViolationPosition } from './file-lint';

export interface PackedResults {
  packed: true;
  ints: Int32Array;
  strings: string[];
}

const VIOLATION_KEYS = ['ruleId', 'severity', 'message', 'range', 'fix', 'deprecated', 'mappingIndex'];
const FIX_KEYS = ['title', 'safety', 'edits'];
const EDIT_KEYS = ['start', 'end', 'text'];
const SPAN_KEYS = ['start', 'end'];
const POSITION_KEYS = ['line', 'column', 'endLine', 'endColumn'];

function hasKeys(o: object, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in o) {
    if (k !== keys[n]) return false;
    n++;
  }
  return n === keys.length;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && (x | 0) === x;

class Writer {
  ints: Int32Array;
  n = 0;
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /**
   * dedupe: every string is sent once (the lint cache keeps one file's results, where messages repeat).
   * capacity: the ints expected. The lint cache packs each file on its own: a fixed 16 KiB start cost a
   * cold `lint --cache` ~90 ms of zeroing and page faults a worker on the bench corpus.
   */
  constructor(
    private readonly dedupe: boolean,
    capacity: number,
  ) {
    this.ints = new Int32Array(capacity);
  }

  int(x: number): void {
    if (this.n === this.ints.length) {
      const grown = new Int32Array(Math.max(16, this.ints.length * 2));
      grown.set(this.ints);
      this.ints = grown;
    }
    this.ints[this.n++] = x;
  }

  /** A string that rarely repeats verbatim (messages, titles): hashing it would cost more than sending it. */
  raw(s: string): void {
    if (this.dedupe) this.str(s);
    else this.int(this.strings.push(s) - 1);
  }

  /** One of few distinct strings (rule ids, severities): sent once. */
  str(s: string): void {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.strings.push(s) - 1;
      this.index.set(s, k);
    }
    this.int(k);
  }
}

/** Added to a result's BOM flag when its resolved references follow (FileLintResult.references). */
const WITH_REFERENCES = 4;

/** Optional booleans: 0 absent-but-present-as-undefined, 1 true, 2 false. */
const bool = (b: boolean | undefined): number => (b === undefined ? 0 : b ? 1 : 2);
const unbool = (k: number): boolean | undefined => (k === 0 ? undefined : k === 1);

function writeViolation(w: Writer, v: Violation, p: ViolationPosition): boolean {
  if (!hasKeys(v, VIOLATION_KEYS) || !hasKeys(v.range, SPAN_KEYS) || !hasKeys(p, POSITION_KEYS)) return false;
  if (typeof v.message !== 'string' || !isInt(v.range.start) || !isInt(v.range.end)) return false;
  if (!(v.deprecated === undefined || typeof v.deprecated === 'boolean')) return false;
  if (!(v.mappingIndex === undefined || (isInt(v.mappingIndex) && v.mappingIndex >= 0))) return false;
  if (!isInt(p.line) || !isInt(p.column) || !isInt(p.endLine) || !isInt(p.endColumn)) return false;
  w.str(v.ruleId);
  w.str(v.severity);
  w.raw(v.message);
  w.int(v.range.start);
  w.int(v.range.end);
  const fix = v.fix;
  if (fix === undefined) w.int(-1);
  else {
    if (!hasKeys(fix, FIX_KEYS) || !Array.isArray(fix.edits) || typeof fix.title !== 'string') return false;
    w.int(fix.edits.length);
    w.raw(fix.title);
    w.str(fix.safety);
    for (const e of fix.edits) {
      if (!hasKeys(e, EDIT_KEYS) || !isInt(e.start) || !isInt(e.end) || typeof e.text !== 'string') return false;
      w.int(e.start);
      w.int(e.end);
      w.raw(e.text);
    }
  }
  w.int(bool(v.deprecated));
  w.int(v.mappingIndex === undefined ? -1 : v.mappingIndex);
  w.int(p.line);
  w.int(p.column);
  w.int(p.endLine);
  w.int(p.endColumn);
  return true;
}

const REFERENCE_KEYS = ['mappingIndex', 'from', 'to', 'line', 'column', 'endLine', 'endColumn'];

function writeReferences(w: Writer, refs: readonly ResolvedReference[]): boolean {
  w.int(refs.length);
  for (const ref of refs) {
    if (!hasKeys(ref, REFERENCE_KEYS) || !isInt(ref.mappingIndex) || ref.mappingIndex < 0 || typeof ref.from !== 'string' || !(ref.to === undefined || typeof ref.to === 'string')) return false;
    if (!isInt(ref.line) || !isInt(ref.column) || !isInt(ref.endLine) || !isInt(ref.endColumn)) return false;
    w.int(ref.mappingIndex);
    w.str(ref.from);
    if (ref.to === undefined) w.int(-1);
    else w.str(ref.to);
    w.int(ref.line);
    w.int(ref.column);
    w.int(ref.endLine);
    w.int(ref.endColumn);
  }
  return true;
}

/**
 * The ints `encodeResults` writes for these results when no fix has more than one edit (else it grows):
 * at most 6 a file besides its lists, 12 a violation and 5 more for a fix, 7 a reference.
 */
function intsFor(results: readonly FileLintResult[]): number {
  let n = 1;
  for (const r of results) n += 6 + 17 * lengthOf(r.violations) + 7 * lengthOf(r.references);
  return n;
}

const lengthOf = (list: unknown): number => (Array.isArray(list) ? list.length : 0);

/** Packs results whose objects have exactly the shapes lintFile builds; undefined for anything else. */
export function encodeResults(results: readonly FileLintResult[], dedupe = false): PackedResults | undefined {
  const w = new Writer(dedupe, intsFor(results));
  w.int(results.length);
  for (const r of results) {
    if (typeof r.filePath !== 'string' || !Array.isArray(r.violations) || !Array.isArray(r.positions) || r.violations.length !== r.positions.length) return undefined;
    w.raw(r.filePath);
    w.int(r.violations.length);
    if (hasKeys(r, ['filePath', 'violations', 'positions', 'bom']) && (r.bom === undefined || typeof r.bom === 'boolean')) w.int(bool(r.bom));
    else if (hasKeys(r, ['filePath', 'violations', 'positions', 'bom', 'references']) && (r.bom === undefined || typeof r.bom === 'boolean') && Array.isArray(r.references)) {
      // WITH_REFERENCES + the BOM flag; the references follow the violations.
      w.int(WITH_REFERENCES + bool(r.bom));
    } else if (hasKeys(r, ['filePath', 'violations', 'positions', 'note', 'unscanned']) && typeof r.note === 'string' && typeof r.unscanned === 'string') {
      w.int(-1);
      w.raw(r.note);
      w.raw(r.unscanned);
    } else return undefined;
    for (let k = 0; k < r.violations.length; k++) if (!writeViolation(w, r.violations[k]!, r.positions[k]!)) return undefined;
    if (r.references && !writeReferences(w, r.references)) return undefined;
  }
  return { packed: true, ints: w.ints.subarray(0, w.n), strings: w.strings };
}

export function isPacked(x: unknown): x is PackedResults {
  return typeof x === 'object' && x !== null && (x as PackedResults).packed === true;
}

/** Rebuilds the results `encodeResults` packed, with the same keys in the same order. */
export function decodeResults(p: PackedResults): FileLintResult[] {
  const a = p.ints;
  const s = p.strings;
  let i = 0;
  const out: FileLintResult[] = [];
  for (let files = a[i++]!; files > 0; files--) {
    const filePath = s[a[i++]!]!;
    const count = a[i++]!;
    const kind = a[i++]!;
    const violations: Violation[] = [];
    const positions: ViolationPosition[] = [];
    const r: FileLintResult = kind === -1 ? { filePath, violations, positions, note: s[a[i++]!]!, unscanned: s[a[i++]!]! as UnscannedReason } : { filePath, violations, positions, bom: unbool(kind % WITH_REFERENCES) };
    for (let k = 0; k < count; k++) {
      const ruleId = s[a[i++]!]! as Violation['ruleId'];
      const severity = s[a[i++]!]! as Violation['severity'];
      const message = s[a[i++]!]!;
      const range = { start: a[i++]!, end: a[i++]! };
      const edits = a[i++]!;
      let fix: Violation['fix'];
      if (edits >= 0) {
        fix = { title: s[a[i++]!]!, safety: s[a[i++]!]! as NonNullable<Violation['fix']>['safety'], edits: [] };
        for (let e = 0; e < edits; e++) fix.edits.push({ start: a[i++]!, end: a[i++]!, text: s[a[i++]!]! });
      }
      const deprecated = unbool(a[i++]!);
      const m = a[i++]!;
      violations.push({ ruleId, severity, message, range, fix, deprecated, mappingIndex: m < 0 ? undefined : m });
      positions.push({ line: a[i++]!, column: a[i++]!, endLine: a[i++]!, endColumn: a[i++]! });
    }
    if (kind >= WITH_REFERENCES) {
      const references: ResolvedReference[] = [];
      for (let n = a[i++]!; n > 0; n--) {
        const mappingIndex = a[i++]!;
        const from = s[a[i++]!]!;
        const t = a[i++]!;
        references.push({ mappingIndex, from, to: t < 0 ? undefined : s[t]!, line: a[i++]!, column: a[i++]!, endLine: a[i++]!, endColumn: a[i++]! });
      }
      r.references = references;
    }
    out.push(r);
  }
  return out;
}
