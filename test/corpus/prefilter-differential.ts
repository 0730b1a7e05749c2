/**
 * The differential check of the prefilter's recall: every file is linted twice, by the default linter (a
 * file whose bytes the prefilter rejects is neither decoded nor scanned, and neither is a text it rejects)
 * and by an exhaustive one (every file decoded and scanned whole: the reference), and the two must agree on
 * everything — each file's result and its ESLint JSON bytes, and for each text the linter's references and
 * findings. Used by the unit suite on a generated corpus and by
 * bench/corpus/lint-differential.mjs on the bench corpora.
 */
import * as fs from 'node:fs';
import type { LoadedManifest } from '../../src/core/manifest/load';
import { lintFile } from '../../src/core/lint/file-lint';
import { createLinter, type Linter } from '../../src/core/lint/linter';
import { decodeSource } from '../../src/core/lint/read';
import { renderEslintJson } from '../../src/core/lint/worker';

export interface PrefilterComparison {
  files: number;
  /** Files whose bytes the prefilter let through (decoded and scanned) and files it rejected. */
  scanned: number;
  rejected: number;
  /** Findings of the exhaustive linter: a comparison over files with none would prove little. */
  findings: number;
  /** Each disagreement: the file and what differed (empty when the two agree). */
  differences: { file: string; what: string }[];
}

export function linterPair(loaded: LoadedManifest, today = new Date('2026-01-15T12:00:00Z')): { prefiltered: Linter; exhaustive: Linter } {
  return { prefiltered: createLinter(loaded, { today }), exhaustive: createLinter(loaded, { today, exhaustive: true }) };
}

function bytesOf(a: Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('latin1');
}

/** Lints each file both ways and lists every difference. */
export function compareWithExhaustive(files: readonly string[], loaded: LoadedManifest): PrefilterComparison {
  const { prefiltered, exhaustive } = linterPair(loaded);
  const out: PrefilterComparison = { files: files.length, scanned: 0, rejected: 0, findings: 0, differences: [] };
  const differ = (file: string, what: string) => out.differences.push({ file, what });
  for (const file of files) {
    const a = lintFile(prefiltered, file);
    const b = lintFile(exhaustive, file);
    out.findings += b.violations.length;
    if (JSON.stringify(a) !== JSON.stringify(b)) differ(file, 'lintFile result');
    else if (bytesOf(renderEslintJson([a]).bytes) !== bytesOf(renderEslintJson([b]).bytes)) differ(file, 'ESLint JSON');
    const bytes = fs.readFileSync(file);
    const decoded = decodeSource(bytes);
    if (!decoded.ok) continue;
    const verdict = prefiltered.mayFind(bytes, file);
    if (verdict !== false) out.scanned++;
    else out.rejected++;
    const whole = JSON.stringify(exhaustive.lintText(decoded.text, file));
    if (verdict !== false && JSON.stringify(prefiltered.lintText(decoded.text, file, undefined, verdict)) !== whole) differ(file, 'lintText of the candidate regions');
    if (JSON.stringify(prefiltered.lintText(decoded.text, file)) !== whole) differ(file, 'lintText');
  }
  return out;
}
