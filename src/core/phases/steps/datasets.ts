/** `verify-datasets` and `create-datasets`: the approved datasets plus the archive dataset. */
import { createDatasetSql, dropDatasetSql } from '../sql';
import type { PlannedAction } from '../types';
import { exec, type BuiltinStep, type StepPlanContext } from './common';

function approvedDatasets(ctx: StepPlanContext): { dataset: string; location?: string; description: string; labels?: Record<string, string> }[] {
  const { datasets, archive, location } = ctx.loaded.manifest;
  const out = Object.entries(datasets).map(([dataset, d]) => ({ dataset, location: d.location ?? location, description: d.description, labels: d.labels }));
  if (!datasets[archive.dataset]) out.push({ dataset: archive.dataset, location, description: 'Archived legacy tables (bqmigrate)', labels: undefined });
  return out.sort((a, b) => a.dataset.localeCompare(b.dataset));
}

export const verifyDatasetsStep: BuiltinStep = {
  name: 'verify-datasets',
  title: 'Verify datasets exist',
  destructive: false,
  plan(ctx) {
    const actions: PlannedAction[] = approvedDatasets(ctx).map((d) => ({
      id: `verify-dataset:${d.dataset}`,
      title: `verify dataset ${d.dataset}${d.location ? ` in ${d.location}` : ''}`,
      sql: [`-- warehouse API: get dataset ${d.dataset}`],
      destructive: false,
      async execute(a) {
        const info = await a.wh.getDataset(d.dataset);
        if (!info) throw new Error(`dataset ${d.dataset} does not exist; run a create-datasets step`);
        if (a.wh.kind === 'bigquery' && d.location && info.location && info.location.toLowerCase() !== d.location.toLowerCase()) {
          throw new Error(`dataset ${d.dataset} is in ${info.location}, the manifest expects ${d.location}`);
        }
        return { detail: `exists${info.location ? ` (${info.location})` : ''}` };
      },
    }));
    return { actions, notes: [] };
  },
};

export const createDatasetsStep: BuiltinStep = {
  name: 'create-datasets',
  title: 'Create new datasets',
  destructive: false,
  plan(ctx) {
    const actions: PlannedAction[] = approvedDatasets(ctx).map((d) => ({
      id: `dataset:${d.dataset}`,
      title: `create dataset ${d.dataset}`,
      sql: [createDatasetSql(ctx.target, d.dataset, ctx.target.kind === 'bigquery' ? d.location : undefined)],
      destructive: false,
      async execute(a) {
        if (await a.wh.getDataset(d.dataset)) return { skipped: true, detail: 'already exists' };
        await a.wh.createDataset({ dataset: d.dataset, location: d.location, description: d.description, labels: d.labels }, { labels: { run: a.runId, phase: a.phase, step: a.step }, signal: a.signal });
        a.note({ createdDataset: d.dataset });
        return { detail: 'created' };
      },
    }));
    return { actions, notes: ctx.snapshot.datasets.length ? [] : ['no datasets found in the warehouse yet'] };
  },
  rollback(ctx) {
    const actions: PlannedAction[] = approvedDatasets(ctx)
      .filter((d) => ctx.snapshot.datasets.includes(d.dataset))
      .map((d) => ({
        id: `undataset:${d.dataset}`,
        title: `drop dataset ${d.dataset} if bqmigrate created it and it is empty`,
        sql: [dropDatasetSql(ctx.target, d.dataset)],
        destructive: true,
        async execute(a) {
          const created = a.history().some((e) => e.details?.createdDataset === d.dataset);
          if (!created) return { skipped: true, detail: 'kept: not created by bqmigrate' };
          if (!(await a.wh.getDataset(d.dataset))) return { skipped: true, detail: 'already gone' };
          const tables = await a.wh.listTables(d.dataset);
          if (tables.length) return { skipped: true, detail: `kept: holds ${tables.length} object(s)` };
          await exec(a, dropDatasetSql(a.wh, d.dataset));
          return { detail: 'dropped' };
        },
      }));
    return { actions, notes: [] };
  },
};
