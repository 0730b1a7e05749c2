/**
 * Checks of the manifest that only the phases need, each reported at its file:line:column:
 * unknown built-in steps and step fields, hostile or invalid names in step options, SQL
 * files outside the manifest folder, duplicate ids. Runs before any plan or run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { locate, type LoadedManifest, type ManifestProblem } from '../manifest/load';
import { LineIndex } from '../text/positions';
import { identifierProblem } from './identifiers';
import { stepId, stepImplementation } from './plan';
import { builtinSteps } from './steps/index';

const COMMON_STEP_FIELDS = ['run', 'sql', 'command', 'id', 'title'];
const NO_OPTIONS = z.object({});
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export function checkPhasesManifest(loaded: LoadedManifest): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const index = new LineIndex(loaded.text);
  const report = (p: (string | number)[], message: string, hint?: string, onKey = false) => {
    const where = locate(loaded.tree, p);
    const start = onKey && where.keyStart !== undefined ? where.keyStart : where.start;
    const pos = index.positionAt(start);
    problems.push({ file: loaded.file, start, end: where.end, line: pos.line + 1, column: pos.character + 1, path: p, message, hint });
  };
  const m = loaded.manifest;
  const sqlFile = (p: (string | number)[], file: string) => {
    const full = path.resolve(loaded.root, file);
    const rel = path.relative(loaded.root, full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) report(p, `${p.join('.')}: "${file}" is outside the manifest folder`, 'SQL files must live in the workspace next to bqmigrate.json');
    else if (!fs.existsSync(full)) report(p, `${p.join('.')}: SQL file "${file}" not found`, `create it or fix the path (relative to ${loaded.root})`);
  };

  m.mappings.forEach((map, i) => {
    if (map.kind !== 'table') return;
    for (const key of ['from', 'to'] as const) {
      const value = map[key];
      if (value === undefined) continue;
      const [dataset = '', table = ''] = value.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x').split('.');
      const bad = identifierProblem('dataset', dataset) ?? identifierProblem('table', table);
      if (bad) report(['mappings', i, key], `mappings.${i}.${key}: ${bad}`, 'use dataset.table with [A-Za-z0-9_] and {placeholders}');
    }
    if (map.sql !== undefined) sqlFile(['mappings', i, 'sql'], map.sql);
  });

  const phaseIds = new Set<string>();
  m.phases.forEach((phase, pi) => {
    if (phaseIds.has(phase.id)) report(['phases', pi, 'id'], `phases.${pi}.id: duplicate phase id "${phase.id}"`, 'give every phase its own id');
    phaseIds.add(phase.id);
    phase.dependsOn?.forEach((d, di) => {
      if (!m.phases.some((p) => p.id === d)) report(['phases', pi, 'dependsOn', di], `phases.${pi}.dependsOn: no phase "${d}"`, `phases: ${m.phases.map((p) => p.id).join(', ')}`);
    });
    const stepIds = new Set<string>();
    phase.steps.forEach((step, si) => {
      const at = ['phases', pi, 'steps', si];
      const id = stepId(phase.steps, si);
      if (stepIds.has(id)) report([...at, 'id'], `phases.${pi}.steps.${si}: duplicate step id "${id}"`, 'give the step a unique "id"');
      stepIds.add(id);
      if (step.id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(step.id)) report([...at, 'id'], `step id ${JSON.stringify(step.id)} must be letters, digits, "-" and "_"`);
      const impl = stepImplementation(step);
      if (!impl) {
        report([...at, 'run'], `phases.${pi}.steps.${si}.run: unknown built-in step ${JSON.stringify(step.run)}`, `built-in steps: ${builtinSteps.map((s) => s.name).join(', ')}`);
        return;
      }
      // The step's own fields, parsed strictly by its options schema: an unknown field or a wrong type is reported where it is.
      const own = Object.fromEntries(Object.entries(step).filter(([k]) => !COMMON_STEP_FIELDS.includes(k)));
      const allowed = Object.keys(impl.options?.shape ?? {});
      const parsed = (impl.options ?? NO_OPTIONS).strict().safeParse(own);
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) report([...at, key], `phases.${pi}.steps.${si}: unknown field "${key}" for ${article(impl.name)} ${impl.name} step`, allowed.length ? `allowed: ${allowed.join(', ')}` : 'this step takes no options', true);
        } else if (issue.path[0] !== 'tables') {
          // `tables` has checks of its own below (identifiers, prefixes, export templates).
          const field = issue.path.map(String);
          report([...at, ...field], `phases.${pi}.steps.${si}.${field.join('.')}: ${issue.message}`, `the fields of ${article(impl.name)} ${impl.name} step: ${allowed.join(', ')} (see docs/phases.md)`);
        }
      }
      const tables = (step as Record<string, unknown>).tables;
      if (tables !== undefined && impl.name !== 'export') {
        const list = Array.isArray(tables) ? tables : [tables];
        list.forEach((t, ti) => {
          const p = Array.isArray(tables) ? [...at, 'tables', ti] : [...at, 'tables'];
          const text = typeof t === 'string' ? t : '';
          const [dataset = '', table = ''] = text.replace(/\*$/, '').split('.');
          const bad = typeof t !== 'string' ? 'expected a string' : text.split('.').length !== 2 ? identifierProblem('table', text.replace(/\*$/, '')) ?? `${JSON.stringify(text)} is not dataset.table` : identifierProblem('dataset', dataset) ?? (table === '' && text.endsWith('*') ? undefined : identifierProblem('table', table));
          if (bad) report(p, `phases.${pi}.steps.${si}.tables: ${bad}`, 'name legacy tables as dataset.table, or a prefix ending in *');
        });
      }
      if (impl.name === 'export') {
        const spec = step as Record<string, unknown>;
        const [dataset = '', table = ''] = String(spec.tables ?? '').replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x').split('.');
        const bad = typeof spec.tables !== 'string' ? 'an export needs "tables", a dataset.table template' : identifierProblem('dataset', dataset) ?? identifierProblem('table', table);
        if (bad) report([...at, 'tables'], `phases.${pi}.steps.${si}.tables: ${bad}`, 'e.g. "training.zl_training_{surface}_allhistory_{horizon}"');
        if (typeof spec.to !== 'string' || spec.to === '') report([...at, 'to'], `phases.${pi}.steps.${si}: an export needs "to"`, 'e.g. "exports/{table}.parquet" or a gs:// URI');
      }
      if (step.sql !== undefined) sqlFile([...at, 'sql'], step.sql);
    });
  });
  return problems;
}
