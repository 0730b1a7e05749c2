/**
 * Turns the manifest's table mappings into concrete legacy → new pairs over the
 * tables that actually exist: `{var}` placeholders with a `variables` entry take
 * those values; any other placeholder is a wildcard matched against the snapshot.
 */
import { tableMappingAt, type Manifest } from '../manifest/schema';
import { identifierProblem, parseTableName, tableKey } from './identifiers';
import type { ConcreteMapping, WarehouseSnapshot } from './types';
import { appendAll } from '../arrays';

export const TEMP_PREFIX = '_bqm_tmp_';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? `{${name}}`);
}

function templateRegex(template: string, variables: Record<string, string[]>): RegExp {
  const seen = new Set<string>();
  let out = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out += escape(template.slice(last, m.index));
    const name = m[1]!;
    if (seen.has(name)) out += `\\k<${name}>`;
    else {
      const values = variables[name];
      out += values ? `(?<${name}>${values.map(escape).join('|')})` : `(?<${name}>[A-Za-z0-9_]+?)`;
      seen.add(name);
    }
    last = m.index! + m[0].length;
  }
  return new RegExp(`^${out}${escape(template.slice(last))}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function* combinations(names: string[], variables: Record<string, string[]>): Generator<Record<string, string>> {
  if (names.length === 0) {
    yield {};
    return;
  }
  const [first, ...rest] = names;
  for (const v of variables[first!]!) for (const tail of combinations(rest, variables)) yield { [first!]: v, ...tail };
}

export interface ExpandResult {
  mappings: ConcreteMapping[];
  notes: string[];
}

export function archiveDate(manifest: Manifest, today: Date): string {
  return manifest.archive.date ?? today.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Concrete mappings in manifest and variable order; each legacy table appears once (the first mapping wins). */
export function expandMappings(manifest: Manifest, snapshot: WarehouseSnapshot, today: Date): ExpandResult {
  const notes: string[] = [];
  const out = new Map<string, ConcreteMapping>();
  const date = archiveDate(manifest, today);
  const existing = Object.keys(snapshot.objects).filter((k) => {
    const [dataset, table] = k.split('.');
    return dataset !== manifest.archive.dataset && !table!.startsWith(TEMP_PREFIX);
  });
  manifest.mappings.forEach((m, mappingIndex) => {
    if (m.kind !== 'table' || m.to === undefined) return;
    const fromNames = placeholders(m.from);
    const missing = placeholders(m.to).filter((p) => !fromNames.includes(p));
    if (missing.length) {
      notes.push(`mapping ${mappingIndex} (${m.from}): "to" uses {${missing.join('}, {')}} which "from" does not have; skipped`);
      return;
    }
    const candidates: Record<string, string>[] = [];
    const wildcard = fromNames.some((p) => !manifest.variables[p]);
    if (wildcard) {
      const re = templateRegex(m.from, manifest.variables);
      for (const name of existing) {
        const match = re.exec(name);
        if (match) candidates.push({ ...(match.groups ?? {}) });
      }
    } else {
      appendAll(candidates, combinations([...new Set(fromNames)], manifest.variables));
    }
    for (const values of candidates) {
      const from = fillTemplate(m.from, values);
      const to = fillTemplate(m.to, values);
      const legacy = parseTableName(from);
      const target = parseTableName(to);
      if (!legacy || !target) {
        notes.push(`mapping ${mappingIndex}: "${from}" → "${to}" is not dataset.table; skipped`);
        continue;
      }
      const bad = [identifierProblem('dataset', legacy.dataset), identifierProblem('table', legacy.table), identifierProblem('dataset', target.dataset), identifierProblem('table', target.table)].filter(Boolean);
      if (bad.length) {
        notes.push(`mapping ${mappingIndex}: ${bad.join('; ')}; skipped`);
        continue;
      }
      if (out.has(from)) continue;
      const archiveTable = fillTemplate(manifest.archive.name, { ...values, date, dataset: legacy.dataset, table: legacy.table });
      const archive = { dataset: manifest.archive.dataset, table: archiveTable };
      const archiveBad = identifierProblem('table', archiveTable);
      if (archiveBad) {
        notes.push(`mapping ${mappingIndex}: archive name ${archiveBad}; skipped`);
        continue;
      }
      const legacyExists = snapshot.objects[tableKey(legacy)] !== undefined;
      out.set(from, { mappingIndex, from, to, legacy, target, archive, sql: m.sql, values, legacyExists });
    }
  });
  return { mappings: [...out.values()], notes };
}

/** Mappings of a templated family share a mapping index; a label like "models_v4.production_training_data_{horizon}". */
export function familyLabel(manifest: Manifest, mappingIndex: number): string {
  const mapping = tableMappingAt(manifest, mappingIndex);
  return mapping?.to ?? mapping?.from ?? String(mappingIndex);
}

export function tempName(table: string): string {
  return `${TEMP_PREFIX}${table}`.slice(0, 1024);
}
