/**
 * Phase order: a phase runs only when every phase in its `dependsOn` is complete — in the
 * journal (the last forward run after any rollback finished all its steps) or earlier in the
 * same run (a run stops at the first failed step, so an earlier phase in the list is complete
 * by the time a later one starts).
 */
import type { LoadedManifest } from '../manifest/load';
import { phaseStatuses } from './status';
import type { JournalEvent } from './types';

export interface UnmetDependency {
  phase: string;
  needs: string;
  /** The needed phase's state in the journal: not-started, in-progress, failed (or rolled back). */
  state: string;
}

export function unmetDependencies(loaded: LoadedManifest, events: readonly JournalEvent[], phases: readonly string[]): UnmetDependency[] {
  const statuses = new Map(phaseStatuses(loaded, events).map((s) => [s.id, s]));
  const out: UnmetDependency[] = [];
  phases.forEach((id, i) => {
    const phase = loaded.manifest.phases.find((p) => p.id === id);
    for (const needs of phase?.dependsOn ?? []) {
      if (phases.slice(0, i).includes(needs)) continue;
      const s = statuses.get(needs);
      if (s?.state === 'complete') continue;
      out.push({ phase: id, needs, state: s?.rolledBackAt && s.state === 'not-started' ? `rolled back ${s.rolledBackAt}` : (s?.state ?? 'not-started') });
    }
  });
  return out;
}

/** A phase whose `dependsOn` phases are not complete; nothing ran. */
export class DependenciesNotMet extends Error {
  override name = 'DependenciesNotMet';
  constructor(readonly unmet: UnmetDependency[]) {
    const needed = [...new Set(unmet.map((u) => u.needs))];
    super(
      `${unmet.map((u) => `phase "${u.phase}" depends on "${u.needs}", which is not complete (${u.state})`).join('; ')}. ` +
        `Run ${needed.map((n) => `\`bqmigrate run --phase ${n}\``).join(', ')} first, or \`bqmigrate run --all\` to run the phases in order`,
    );
  }
}
