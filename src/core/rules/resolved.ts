/** What the rules on resolved references (legacy-reference, shim-reference) share: the rename edits and the per-name wording cache. */
import { renamePathEdits, renameTableEdits } from '../fix/build';
import type { TextEdit } from '../fix/types';
import type { Resolution } from '../match/resolver';
import type { RuleSubject } from './types';

/** The edits renaming a table reference or a path token to `to` (empty when it cannot be rewritten in place). */
export function renameEdits(text: string, subject: RuleSubject, to: string): TextEdit[] {
  return subject.kind === 'table' ? renameTableEdits(text, subject.ref, to) : renamePathEdits(subject.ref, to);
}

/**
 * A value per resolution, built again only when `key` changes: the resolver hands out one Resolution per
 * distinct name, so a name repeated across a file (or a codebase) shares one set of strings instead of
 * building them per reference.
 */
export function perResolution<K, V>(build: (r: Resolution, key: K) => V): (r: Resolution, key: K) => V {
  const built = new WeakMap<Resolution, { key: K; value: V }>();
  return (r, key) => {
    const hit = built.get(r);
    if (hit !== undefined && hit.key === key) return hit.value;
    const value = build(r, key);
    built.set(r, { key, value });
    return value;
  };
}
