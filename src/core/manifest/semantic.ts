/**
 * Checks zod cannot express: templates whose `to` uses a slot `from` never
 * binds, likely misspelt variables, new names that are not valid BigQuery
 * names or fail their dataset's convention, chains, and truly ambiguous pairs
 * (named with both entries' positions). Returns problems by JSON path; the
 * loader turns paths into line:column.
 */
import { checkColumnMappings } from '../columns/semantic';
import { findAmbiguousPairs } from '../match/overlap';
import { compileMapping, MappingResolver } from '../match/resolver';
import { parseTemplate, slotNames, type TemplateToken } from '../match/template';
import { closest } from '../naming/distance';
import { NamingChecker, type NamingVerdict } from '../naming/explain';
import { labelKeyProblem, labelValueProblem, MAX_LABELS } from '../warehouse/labels';
import { tableAndPathMappings, type Manifest } from './schema';

export interface SemanticProblem {
  path: (string | number)[];
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  /** Other places the message names (e.g. the other entry of an ambiguous pair). */
  related?: (string | number)[][];
}

const MAX_NAME = 1024;
const MAX_EXPANSIONS = 500;

/** Concrete values of a parsed template over its variable slots; undefined when it has a wildcard. */
function expandTemplate(tokens: readonly TemplateToken[]): string[] | undefined {
  let out = [''];
  const bound: Map<string, string>[] = [new Map()];
  let maps = bound;
  for (const t of tokens) {
    if (t.kind === 'lit') {
      out = out.map((o) => o + t.text);
      continue;
    }
    if (!t.values) return undefined;
    const nextOut: string[] = [];
    const nextMaps: Map<string, string>[] = [];
    out.forEach((o, i) => {
      const seen = maps[i]!.get(t.name);
      for (const v of seen !== undefined ? [seen] : t.values!) {
        nextOut.push(o + v);
        nextMaps.push(new Map(maps[i]!).set(t.name, v));
      }
    });
    out = nextOut.slice(0, MAX_EXPANSIONS);
    maps = nextMaps.slice(0, MAX_EXPANSIONS);
  }
  return out;
}

export function checkManifestSemantics(m: Manifest): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const variables = Object.keys(m.variables);
  const approved = new Set(Object.keys(m.datasets).map((d) => d.toLowerCase()));

  let regexesOk = true;
  for (const [dataset, conv] of Object.entries(m.naming)) {
    const inPattern = new Set([...conv.pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((x) => x[1]!));
    for (const [seg, rule] of Object.entries(conv.segments)) {
      if (!inPattern.has(seg)) problems.push({ path: ['naming', dataset, 'segments', seg], severity: 'warning', message: `segment "${seg}" is not in the pattern ${conv.pattern}`, hint: 'remove it or add {' + seg + '} to the pattern' });
      if (!Array.isArray(rule)) {
        try {
          new RegExp(rule.regex);
        } catch (err) {
          regexesOk = false;
          problems.push({ path: ['naming', dataset, 'segments', seg, 'regex'], severity: 'error', message: `invalid regular expression: ${(err as Error).message}`, hint: 'write a JavaScript regular expression without slashes, e.g. "\\\\d{8}"' });
        }
      }
    }
  }
  for (const d of Object.keys(m.legacyDatasets)) {
    if (approved.has(d.toLowerCase())) problems.push({ path: ['legacyDatasets', d], severity: 'warning', message: `dataset "${d}" is both approved and legacy`, hint: 'keep it in one of "datasets" or "legacyDatasets"' });
  }

  const naming = regexesOk ? new NamingChecker(m) : undefined;
  // Compiled once: the resolver, the chain check and the ambiguity check share the tokens.
  // `compiled[k]` is the k-th table or path mapping; `i` is its index among all mappings (column ones included).
  const entries = tableAndPathMappings(m);
  const compiled = entries.map(({ mapping, index }) => compileMapping(mapping, index, m.variables));
  const resolver = new MappingResolver(m, compiled);
  entries.forEach(({ mapping: map, index: i }, k) => {
    const fromSlots = new Set(slotNames(parseTemplate(map.from, m.variables)));
    for (const slot of fromSlots) {
      if (variables.includes(slot)) continue;
      const guess = closest(slot, variables);
      if (guess) problems.push({ path: ['mappings', i, 'from'], severity: 'warning', message: `{${slot}} is not in "variables", so it is a wildcard for any text; did you mean {${guess}}?`, hint: `rename it to {${guess}} or add "${slot}" to "variables"` });
    }
    if (map.to === undefined) return;
    const toSlots = slotNames(compiled[k]!.to!);
    const unbound = toSlots.filter((s) => !fromSlots.has(s));
    if (unbound.length > 0) {
      problems.push({
        path: ['mappings', i, 'to'],
        severity: 'error',
        message: `${unbound.map((s) => `{${s}}`).join(', ')} in "to" ${unbound.length > 1 ? 'have' : 'has'} no value: "from" (${map.from}) has no slot of that name`,
        hint: `use the same slot names in "from" and "to"${fromSlots.size ? `, e.g. ${[...fromSlots].map((s) => `{${s}}`).join(', ')}` : ''}`,
      });
      return;
    }
    if (map.from === map.to) problems.push({ path: ['mappings', i, 'to'], severity: 'warning', message: '"to" is the same as "from": this mapping renames nothing' });
    if (map.kind !== 'table') return;
    const dataset = map.to.split('.')[0]!;
    if (!dataset.includes('{') && !approved.has(dataset.toLowerCase()) && dataset.toLowerCase() !== m.archive.dataset.toLowerCase()) {
      const guess = closest(dataset.toLowerCase(), approved);
      problems.push({ path: ['mappings', i, 'to'], severity: 'warning', message: `"to" dataset "${dataset}" is not an approved dataset${guess ? `; did you mean ${guess}?` : ''}`, hint: 'add it to "datasets" or fix the name' });
    }
    const concrete = expandTemplate(compiled[k]!.to!);
    if (!concrete) return;
    for (const name of concrete) {
      const [ds, table] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
      if (ds.length > MAX_NAME || table.length > MAX_NAME) {
        problems.push({ path: ['mappings', i, 'to'], severity: 'error', message: `"${name}" is not a valid BigQuery name: dataset and table names are at most ${MAX_NAME} characters` });
        return;
      }
    }
    let failing: NamingVerdict | undefined;
    for (const n of naming ? concrete : []) {
      const v = naming!.check(n.slice(0, n.indexOf('.')), n.slice(n.indexOf('.') + 1));
      if (!v.ok) {
        failing = v;
        break;
      }
    }
    if (failing) problems.push({ path: ['mappings', i, 'to'], severity: 'warning', message: `new name ${failing.message}`, hint: `run \`bqmigrate explain-name ${failing.name}\`, or add the table to naming.${failing.dataset}.exempt` });
    const chained = concrete.map((n) => ({ n, r: resolver.resolveName(n) })).find((x) => x.r && x.r.mappingIndex !== i);
    if (chained) {
      problems.push({
        path: ['mappings', i, 'to'],
        severity: 'warning',
        message: `new name ${chained.n} is itself a legacy name (mappings[${chained.r!.mappingIndex}].from ${chained.r!.mapping.from}); ${
          chained.r!.cycle ? `the mappings form a rename cycle (${chained.r!.cycle.join(' → ')}): its fixes are unsafe, and \`bqmigrate fix --swap-cycles\` applies them once` : 'a fix renames straight to the end of the chain once every mapping on it is migrated or archived'
        }`,
        hint: chained.r!.cycle ? 'after the swap, remove the cycle\'s mappings: a second swap would undo it' : `point "to" at the final name`,
        related: [['mappings', chained.r!.mappingIndex, 'from']],
      });
    }
  });

  problems.push(...checkColumnMappings(m, resolver));

  for (const pair of findAmbiguousPairs(compiled)) {
    const a = pair.first;
    const b = pair.second;
    const same = a.mapping.to === b.mapping.to;
    problems.push({
      path: ['mappings', b.index, 'from'],
      severity: same ? 'warning' : 'error',
      message: same
        ? `mappings[${a.index}] ({A}) and mappings[${b.index}] both map "${pair.witness}" to the same place: a duplicate entry`
        : `mappings[${a.index}] ({A}) and mappings[${b.index}] (here) both match "${pair.witness}" with the same precedence but different targets (${a.mapping.to ?? 'unmapped'} vs ${b.mapping.to ?? 'unmapped'})`,
      hint: same ? 'remove one of them' : 'make one entry more specific (an exact name wins over a template, a template over a wildcard) or remove one',
      related: [['mappings', a.index, 'from']],
    });
  }
  for (const [dataset, d] of Object.entries(m.datasets)) labelProblems(d.labels, ['datasets', dataset, 'labels'], problems);
  m.mappings.forEach((map, i) => labelProblems(map.kind === 'column' ? undefined : map.metadata?.labels, ['mappings', i, 'metadata', 'labels'], problems));
  return problems;
}

/** Labels BigQuery would refuse (datasets.insert, tables.patch answer 400), each at its key or value. */
function labelProblems(labels: Record<string, string> | undefined, at: (string | number)[], problems: SemanticProblem[]): void {
  if (!labels) return;
  const hint = 'BigQuery labels are lowercase: keys start with a letter; letters, digits, "_" and "-", at most 63 characters';
  if (Object.keys(labels).length > MAX_LABELS) problems.push({ path: at, severity: 'error', message: `${Object.keys(labels).length} labels: BigQuery allows at most ${MAX_LABELS} per resource`, hint });
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) problems.push({ path: [...at, key], severity: 'error', message: problem, hint });
  }
}
