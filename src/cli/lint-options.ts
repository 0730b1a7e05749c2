/** Options shared by `lint` and `fix`: paths, manifest discovery, rule overrides, the file walk. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadedManifest, ManifestLoadResult } from '../core/manifest/load';
import { findManifest } from '../core/manifest/loaded';
import type { Severity } from '../core/manifest/schema';
import { SEVERITIES } from '../core/manifest/severities';
import { ruleMetas } from '../core/rules/index';
import type { RuleId } from '../core/rules/types';
import { UsageError, type CliIO } from './commands/types';

export const PATHS_USAGE = `  paths…                files or folders to check (default: the current folder); folders respect
                        .gitignore and the manifest's include / exclude globs
  --manifest F          the manifest (default: bqmigrate.json found by walking up from the first path)
  --rule id:severity    override a rule's severity (off|info|warning|error); repeatable
  --max-file-size MB    skip files larger than this (default 64)`;

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/**
 * `--max-warnings -1` as the help writes it: node's parseArgs reads `-1` as an option, so a negative number
 * after an option that takes a value is joined to it (`--max-warnings=-1`).
 */
export function joinNegativeValues(args: readonly string[], spec: Spec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && spec[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d+(\.\d+)?$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parseLintArgs(args: string[], extra: Spec) {
  let r;
  const options: Spec = { manifest: { type: 'string' }, rule: { type: 'string', multiple: true }, 'max-file-size': { type: 'string' }, workers: { type: 'string' }, ...extra };
  try {
    r = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const values = r.values as Record<string, string | boolean | string[] | undefined>;
  const rules: Partial<Record<RuleId, Severity>> = {};
  for (const spec of (values.rule as string[] | undefined) ?? []) {
    const [id, sev] = spec.split(':');
    if (!ruleMetas.some((m) => m.id === id)) throw new UsageError(`--rule ${spec}: unknown rule "${id}"; rules: ${ruleMetas.map((m) => m.id).join(', ')}`);
    if (!SEVERITIES.includes(sev as Severity)) throw new UsageError(`--rule ${spec}: severity must be one of ${SEVERITIES.join(', ')}`);
    rules[id as RuleId] = sev as Severity;
  }
  let maxFileBytes: number | undefined;
  if (typeof values['max-file-size'] === 'string') {
    const mb = Number(values['max-file-size']);
    if (!(mb > 0)) throw new UsageError('--max-file-size is a positive number of megabytes');
    maxFileBytes = Math.round(mb * 1048576);
  }
  let workers: number | undefined;
  if (typeof values.workers === 'string') {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers is a whole number (0 lints in-process)');
  }
  return { values, positionals: r.positionals, rules, maxFileBytes, workers };
}

/** The manifest's loader and checker (the zod schema), required when a manifest is parsed: a lint whose cache remembers the manifest never loads it. */
const manifestLoader = () => require('../core/manifest/load') as typeof import('../core/manifest/load');

/** The manifest file from --manifest or found from the first path; says so and returns undefined when there is none. */
export function lintManifestFile(manifestArg: unknown, paths: string[], io: CliIO): string | undefined {
  const file = typeof manifestArg === 'string' ? path.resolve(io.cwd, manifestArg) : findManifest(paths[0] ?? io.cwd);
  if (!file) io.stderr.write(`bqmigrate: no bqmigrate.json in ${paths[0] ?? io.cwd} or any parent folder; create one (\`bqmigrate init\`) or pass --manifest\n`);
  return file;
}

/** Prints a load's problems (the warnings of a manifest that loaded, or what stops it) and returns them as printed. */
export function printManifestProblems(r: ManifestLoadResult, io: CliIO): string[] {
  const lines = r.problems.map(manifestLoader().formatProblem);
  for (const line of lines) io.stderr.write(`${line}\n`);
  return lines;
}

/** Parses and checks the manifest at `file`, read already as `text`; prints its problems (see printManifestProblems). */
export function parseLintManifest(file: string, text: string, io: CliIO): { loaded: LoadedManifest | undefined; warnings: string[] } {
  const r = manifestLoader().parseManifest(text, file);
  const warnings = printManifestProblems(r, io);
  return { loaded: r.ok ? r.loaded : undefined, warnings };
}

/** The manifest from --manifest or found from the first path; prints problems and returns undefined on failure. */
export function loadLintManifest(manifestArg: unknown, paths: string[], io: CliIO): LoadedManifest | undefined {
  const file = lintManifestFile(manifestArg, paths, io);
  if (!file) return undefined;
  const r = manifestLoader().loadManifestFile(file);
  printManifestProblems(r, io);
  return r.ok ? r.loaded : undefined;
}

export function resolvePaths(positionals: string[], io: CliIO): string[] {
  return (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
}

/** A one-line progress counter on stderr, only when stderr is a terminal. */
export function progressReporter(io: CliIO): { update(done: number, found: number): void; end(): void } {
  if (!io.stderr.isTTY) return { update() {}, end() {} };
  let last = 0;
  let shown = false;
  return {
    update(done, found) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr.write(`\rbqmigrate: ${done}/${found} files…`);
    },
    end() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}
