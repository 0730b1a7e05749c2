/**
 * SARIF 2.1.0 for code-scanning uploads: one run, the rules from their own
 * metadata, one result per finding with a region (1-based lines and columns)
 * and, for safe fixes, a `fixes` entry replacing the reference's characters.
 * The document is written as it goes — the run's header, then each result as
 * its file is linted, then the notifications — so its size has no limit.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileLintResult } from '../../core/lint/file-lint';
import type { Unscanned } from '../../core/lint/unscanned';
import { ruleMetas } from '../../core/rules/index';
import { isSafeFix, type LintReport } from './report';
import { ChunkedWriter, collect, type TextOut } from './sink';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function artifactUri(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(file).href };
}

const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);

/** Each rule's position in the driver's `rules`, which a result names as its `ruleIndex`. */
const RULE_INDEX = new Map(ruleMetas.map((m, i) => [m.id as string, i]));

/**
 * A linted file's results as the document lists them, each handed to `write` as it is made (a file can
 * have more than a string holds): each on its own line, after the comma that separates it from the one
 * before (the document's first result goes without it); nothing for a file without findings.
 */
export function sarifResults(r: FileLintResult, cwd: string, write: (result: string) => void): void {
  const artifactLocation = artifactUri(cwd, r.filePath);
  const vs = r.violations;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    const p = r.positions[i]!;
    const result: Record<string, unknown> = {
      ruleId: v.ruleId,
      ruleIndex: RULE_INDEX.get(v.ruleId) ?? -1,
      level: LEVEL[v.severity],
      message: { text: v.message },
      locations: [{ physicalLocation: { artifactLocation, region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn, charOffset: v.range.start, charLength: v.range.end - v.range.start } } }],
    };
    if (isSafeFix(v)) {
      result.fixes = [
        {
          description: { text: v.fix!.title },
          artifactChanges: [{ artifactLocation, replacements: v.fix!.edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })) }],
        },
      ];
    }
    write(`,\n        ${JSON.stringify(result)}`);
  }
}

/**
 * What closes the document after the results (`first`: there were none): the notes of files not read
 * (`notes`) and the files and folders not read (`unscanned`) as notifications of the run's invocation.
 */
export function sarifTail(first: boolean, notes: readonly Record<string, unknown>[], unscanned: readonly Unscanned[], cwd: string): string {
  const notifications = [...notes];
  for (const u of unscanned) {
    notifications.push({ level: 'note', message: { text: `not read (${u.reason}): ${u.detail}` }, locations: [{ physicalLocation: { artifactLocation: artifactUri(cwd, u.path) } }] });
  }
  let out = `${first ? '' : '\n      '}],\n      "invocations": [\n        {\n          "executionSuccessful": true,\n          "toolExecutionNotifications": [`;
  notifications.forEach((n, i) => (out += `${i ? ',' : ''}\n            ${JSON.stringify(n)}`));
  return `${out}${notifications.length ? '\n          ' : ''}]\n        }\n      ]\n    }\n  ]\n}\n`;
}

/** Writes one SARIF document: `addFile` per linted file as it finishes, then `finish` once. */
export class SarifWriter {
  private readonly sink: ChunkedWriter;
  private readonly notes: Record<string, unknown>[] = [];
  private first = true;
  private written = 0;

  constructor(
    out: TextOut,
    private readonly cwd: string,
    version: string,
  ) {
    this.sink = new ChunkedWriter(out);
    const rules = ruleMetas.map((m) => ({
      id: m.id,
      name: m.id.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: m.description },
      fullDescription: { text: m.docs.split('\n')[0]! },
      help: { text: m.docs, markdown: m.docs },
      defaultConfiguration: { level: m.defaultSeverity === 'off' ? 'none' : LEVEL[m.defaultSeverity], enabled: m.defaultSeverity !== 'off' },
      properties: { fixable: m.fixable, fixSafety: m.fixSafety, ...(m.fixSafetyWhen ? { fixSafetyWhen: m.fixSafetyWhen } : {}) },
    }));
    const tool = { driver: { name: 'bqmigrate', version, semanticVersion: version, informationUri: 'https://github.com/cbi-v14/bqmigrate', rules } };
    this.write(
      `{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n  "runs": [\n    {\n` +
        `      "tool": ${indent(JSON.stringify(tool, null, 2), '      ')},\n` +
        `      "originalUriBaseIds": ${JSON.stringify({ '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).href } })},\n` +
        `      "columnKind": "utf16CodeUnits",\n      "results": [`,
    );
  }

  /** UTF-8 bytes of the document so far (written or held in the sink): where the next file's results start. */
  get bytes(): number {
    return this.written;
  }

  private write(text: string): void {
    this.sink.write(text);
    this.written += Buffer.byteLength(text, 'utf8');
  }

  addFile(r: FileLintResult): void {
    if (r.note) {
      this.notes.push({ level: 'note', message: { text: r.note }, locations: [{ physicalLocation: { artifactLocation: artifactUri(this.cwd, r.filePath) } }] });
      return;
    }
    sarifResults(r, this.cwd, (result) => {
      this.write(this.first ? result.slice(1) : result);
      this.first = false;
    });
  }

  /** Closes the document; files and folders not read become notifications of the run's invocation. */
  finish(unscanned: readonly Unscanned[] = []): void {
    this.write(sarifTail(this.first, this.notes, unscanned, this.cwd));
    this.sink.flush();
  }
}

export function writeSarif(out: TextOut, report: LintReport, version: string): void {
  const w = new SarifWriter(out, report.cwd, version);
  for (const r of report.results) w.addFile(r);
  w.finish(report.unscanned);
}

export function formatSarif(report: LintReport, version: string): string {
  return collect((out) => writeSarif(out, report, version));
}

/** The document as an object (tests, and tools that post-process it); parses what writeSarif writes. */
export function toSarif(report: LintReport, version: string): Record<string, unknown> {
  return JSON.parse(formatSarif(report, version)) as Record<string, unknown>;
}
