/** Options shared by the phase commands (init, plan, run, validate, rollback, status): parsing, manifest, warehouse. */
import { formatProblem, ManifestError, type LoadedManifest } from '../core/manifest/load';
import { checkPhasesManifest } from '../core/phases/manifest-check';
import type { Warehouse } from '../core/warehouse/types';
import { UsageError, type CliIO } from './commands/types';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, WAREHOUSE_USAGE } from './warehouse-options';
import { UnknownPhase } from '../core/phases/plan';

export const COMMON_USAGE = WAREHOUSE_USAGE;

type Spec = Record<string, { type: 'string' | 'boolean' }>;

/** The phase commands take the warehouse commands' options (--manifest, --backend, BigQuery settings) plus their own. */
export function parsePhaseArgs<T extends Spec>(args: string[], extra: T) {
  return parseWarehouseArgs(args, extra);
}

/** Loads the manifest and checks its phases, or prints every problem (file:line:column) and returns undefined. */
export function loadForPhases(values: Record<string, unknown>, io: CliIO, opts: { phases?: boolean } = { phases: true }): LoadedManifest | undefined {
  const loaded = loadManifestFor(values, io);
  if (!loaded || !opts.phases) return loaded;
  const problems = checkPhasesManifest(loaded);
  for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
  return problems.length ? undefined : loaded;
}

export function openFor(loaded: LoadedManifest, parsed: ReturnType<typeof parsePhaseArgs>, io: CliIO, command: string): Promise<Warehouse> {
  return openWarehouseFor(loaded, parsed, io, command);
}

/** Manifest problems thrown from core (e.g. a phase check) are printed with their positions: exit 2. */
export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof ManifestError) {
    for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  }
  if (err instanceof UsageError) throw err;
  io.stderr.write(`bqmigrate: ${(err as Error).message}\n`);
  return err instanceof UnknownPhase ? 2 : 1;
}

/** Ctrl-C cancels the run: in-flight jobs are aborted, the journal records where it stopped. */
export function cancelOnSigint(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSig = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('\nbqmigrate: cancelling… (Ctrl-C again to quit at once; `--resume` continues later)\n');
    controller.abort();
  };
  process.on('SIGINT', onSig);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSig) };
}
