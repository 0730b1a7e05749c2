/**
 * Worker-thread side of the lint pool. Loaded either as its own file (tsc
 * output, tsx) or as part of the esbuild bundle, where the pool starts the
 * bundle itself as the worker; the `bqmigrateLintWorker` flag tells them apart.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseManifest } from '../manifest/load';
import type { RuleId } from '../rules/types';
import type { Severity } from '../manifest/schema';
import { lintFile, type FileLintResult } from './file-lint';
import { createIncludeMatcher } from './globs';
import { createLinter } from './linter';
import { encodeResults, type PackedResults } from './transfer';

export interface LintWorkerData {
  bqmigrateLintWorker: true;
  manifestFile: string;
  manifestText: string;
  rules?: Partial<Record<RuleId, Severity>>;
  today?: string;
  maxFileBytes?: number;
}

export type LintWorkerRequest = { id: number; files: string[] };
export type LintWorkerReply = { id: number; results: FileLintResult[] | PackedResults } | { ready: true } | { fatal: string };

function startWorker(data: LintWorkerData): void {
  const parsed = parseManifest(data.manifestText, data.manifestFile);
  if (!parsed.ok) {
    parentPort!.postMessage({ fatal: parsed.problems.map((p) => p.message).join('; ') } satisfies LintWorkerReply);
    return;
  }
  const linter = createLinter(parsed.loaded, { rules: data.rules, today: data.today ? new Date(data.today) : undefined }, createIncludeMatcher(parsed.loaded));
  parentPort!.on('message', (req: LintWorkerRequest) => {
    const results = req.files.map((f) => lintFile(linter, f, data.maxFileBytes));
    const packed = encodeResults(results);
    if (packed) parentPort!.postMessage({ id: req.id, results: packed } satisfies LintWorkerReply, [packed.ints.buffer as ArrayBuffer]);
    else parentPort!.postMessage({ id: req.id, results } satisfies LintWorkerReply);
  });
  parentPort!.postMessage({ ready: true } satisfies LintWorkerReply);
}

if (!isMainThread && (workerData as Partial<LintWorkerData> | undefined)?.bqmigrateLintWorker) startWorker(workerData as LintWorkerData);
