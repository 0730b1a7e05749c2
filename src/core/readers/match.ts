/**
 * Which legacy names a job read: its referenced_tables, and the references the linter's own
 * scanner finds in its query text (a cache hit has no referenced_tables; a read through a view is
 * listed under the view's base tables, so a shim's readers are found only by their text).
 */
import type { Linter } from '../lint/linter';
import type { TableRef } from '../scan/types';
import type { JobRow, ReadEvidence } from './types';

/** The statement keywords right before a name that the statement creates, drops or inserts into: a write, not a read. */
const WRITE_TARGET = /\b(?:(?:CREATE(?:\s+OR\s+REPLACE)?(?:\s+TEMP(?:ORARY)?)?|DROP|ALTER|TRUNCATE)\s+(?:MATERIALIZED\s+|SNAPSHOT\s+|EXTERNAL\s+)?(?:TABLE|VIEW)(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|INSERT(?:\s+INTO)?)\s*$/i;

export interface NameIndex {
  project: string;
  /** Lower-cased project → legacy `dataset.table` names. */
  byKey: Map<string, string>;
  /** `dataset` → table names, for wildcard references. */
  byDataset: Map<string, string[]>;
}

export function indexNames(project: string, names: readonly string[]): NameIndex {
  const byKey = new Map<string, string>();
  const byDataset = new Map<string, string[]>();
  for (const n of names) {
    const dot = n.indexOf('.');
    byKey.set(`${project.toLowerCase()}.${n}`, n);
    const ds = n.slice(0, dot);
    byDataset.set(ds, [...(byDataset.get(ds) ?? []), n.slice(dot + 1)]);
  }
  return { project, byKey, byDataset };
}

/** `dataset.table` names of `index` that one job read, each with how it was found. */
export function namesReadBy(job: JobRow, index: NameIndex, linter: Linter): Map<string, Set<ReadEvidence>> {
  const out = new Map<string, Set<ReadEvidence>>();
  const add = (name: string, via: ReadEvidence) => out.set(name, (out.get(name) ?? new Set<ReadEvidence>()).add(via));
  for (const key of job.referenced) {
    const [p, ...rest] = key.split('.');
    const name = index.byKey.get(`${p!.toLowerCase()}.${rest.join('.')}`);
    if (name) add(name, 'referenced_tables');
  }
  if (job.query) {
    for (const { ref } of linter.lintText(job.query, 'job.sql', 'sql').refs) {
      if (!('dataset' in ref)) continue;
      const t = ref as TableRef;
      if (t.meta || t.routine || t.context !== 'code') continue;
      if ([t.project, t.dataset, t.table].some((part) => part && part.placeholders.length > 0)) continue;
      // Unqualified names resolve in the project the job ran in: another project's `models_v4.t` is its own table.
      const project = t.project?.text ?? job.project;
      if (project.toLowerCase() !== index.project.toLowerCase()) continue;
      if (WRITE_TARGET.test(job.query.slice(Math.max(0, t.range.start - 200), t.range.start))) continue;
      if (t.wildcard) {
        const prefix = t.table.text.replace(/\*$/, '');
        for (const table of index.byDataset.get(t.dataset.text) ?? []) if (table.startsWith(prefix)) add(`${t.dataset.text}.${table}`, 'query text');
        continue;
      }
      const name = index.byKey.get(`${index.project.toLowerCase()}.${t.dataset.text}.${t.table.text}`);
      if (name) add(name, 'query text');
    }
  }
  return out;
}
