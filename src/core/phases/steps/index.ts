/**
 * The built-in steps, by the name a manifest step uses in `"run"`. One file per family of
 * steps in this folder; each exports a BuiltinStep (plan → actions, optional rollback).
 * `sql` and `command` steps are the two non-`run` kinds.
 */
import { archiveStep } from './archive';
import type { BuiltinStep } from './common';
import { createDatasetsStep, verifyDatasetsStep } from './datasets';
import { repointDefinitionsStep } from './definitions';
import { commandStep, sqlStep } from './script';
import { dropShimsStep, shimViewsStep } from './shims';
import { createTargetsStep } from './targets';
import { validateStep } from './validate-step';
import { warehouseToolSteps } from './warehouse-tools';

export const builtinSteps: readonly BuiltinStep[] = [
  verifyDatasetsStep,
  createDatasetsStep,
  archiveStep,
  createTargetsStep,
  shimViewsStep,
  validateStep,
  dropShimsStep,
  repointDefinitionsStep,
  ...warehouseToolSteps,
].sort((a, b) => a.name.localeCompare(b.name));

export function findBuiltin(name: string): BuiltinStep | undefined {
  return builtinSteps.find((s) => s.name === name);
}

export { sqlStep, commandStep };
export type { BuiltinStep, StepPlanContext } from './common';
