/**
 * SARIF 2.1.0 for code-scanning uploads: one run, the rules from their own
 * metadata, one result per finding with a region (1-based lines and columns)
 * and, for safe fixes, a `fixes` entry replacing the reference's characters.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleMetas } from '../../core/rules/index';
import { isSafeFix, type LintReport } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function artifactUri(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(file).href };
}

export function toSarif(report: LintReport, version: string): Record<string, unknown> {
  const rules = ruleMetas.map((m) => ({
    id: m.id,
    name: m.id.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: m.description },
    fullDescription: { text: m.docs.split('\n')[0]! },
    help: { text: m.docs, markdown: m.docs },
    defaultConfiguration: { level: m.defaultSeverity === 'off' ? 'none' : LEVEL[m.defaultSeverity], enabled: m.defaultSeverity !== 'off' },
    properties: { fixable: m.fixable, fixSafety: m.fixSafety, ...(m.fixSafetyWhen ? { fixSafetyWhen: m.fixSafetyWhen } : {}) },
  }));
  const results: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const r of report.results) {
    const artifactLocation = artifactUri(report.cwd, r.filePath);
    if (r.note) {
      notifications.push({ level: 'note', message: { text: r.note }, locations: [{ physicalLocation: { artifactLocation } }] });
      continue;
    }
    r.violations.forEach((v, i) => {
      const p = r.positions[i]!;
      const result: Record<string, unknown> = {
        ruleId: v.ruleId,
        ruleIndex: ruleMetas.findIndex((m) => m.id === v.ruleId),
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
      results.push(result);
    });
  }
  for (const u of report.unscanned ?? []) {
    notifications.push({ level: 'note', message: { text: `not read (${u.reason}): ${u.detail}` }, locations: [{ physicalLocation: { artifactLocation: artifactUri(report.cwd, u.path) } }] });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'bqmigrate', version, semanticVersion: version, informationUri: 'https://github.com/cbi-v14/bqmigrate', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(report.cwd + path.sep).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(report: LintReport, version: string): string {
  return `${JSON.stringify(toSarif(report, version), null, 2)}\n`;
}
