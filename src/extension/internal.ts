/** Internal commands (hidden from the palette): timings for the host benchmark (bench/host.bench.mjs) and the host tests. */
import type { CommandSpec } from './context';

export const internalCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.internal.stats',
    title: 'Internal: Extension Timings',
    category: 'bqmigrate',
    when: 'false',
    run: async (ctx, options?: { waitForScan?: boolean }) => {
      if (options?.waitForScan) await ctx.linter.whenIdle();
      const samples = [...ctx.stats.documentLintMs];
      const sorted = [...samples].sort((a, b) => a - b);
      const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined;
      return {
        activationMs: ctx.stats.activationMs,
        activationStartedAt: ctx.stats.activationStartedAt,
        lastScan: ctx.stats.lastScan,
        firstScan: ctx.stats.firstScan,
        documentLintMs: { samples, median, count: samples.length },
        documentLints: [...ctx.stats.documentLints],
        totals: { references: ctx.linter.totals().total, files: ctx.linter.files.size },
        manifest: { file: ctx.manifest.current.file?.fsPath, stale: ctx.manifest.current.stale, problems: ctx.manifest.current.problems.length },
        folders: ctx.manifest.coverage(),
      };
    },
  },
];
