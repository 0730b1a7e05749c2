import { test } from 'node:test';
import { runCase, type Case } from './cases';

const cases: Case[] = [
  {
    name: 'Markdown prose and inline code',
    input: '# Migration\nBuild «`training.zl_training_prod_allhistory_1m`» from «models_v4.production_training_data_1m».\nSee docs/plan.md and file.csv, os.path, other.table.',
    expect: [{ form: 'backtick', context: 'comment' }, { form: 'bare', context: 'comment' }],
  },
  { name: 'Markdown wildcard and archive names', input: '- Archived to «`archive.legacy_20251114__models_v4__*`»', expect: [{ wildcard: true, table: 'legacy_20251114__models_v4__*' }] },
  { name: 'fenced SQL in Markdown: quoted project path', input: '```sql\nCREATE OR REPLACE VIEW «`cbi-v14.models_v4.production_training_data_1m`» AS\nSELECT * FROM «`cbi-v14.training.horizon_1m_production`»;\n```' },
  { name: 'YAML values', input: 'source: «models_v4.production_training_data_1m»\ntarget: «cbi-v14.training.zl_training_prod_allhistory_1m»\nfile: data.csv' },
  { name: 'JSON strings', input: '{"table": "«models_v4.t»", "other": "a.b"}' },
  { name: 'shell: bq CLI and legacy brackets', input: 'bq show «cbi-v14:models_v4.t»\nbq query "SELECT 1 FROM «[cbi-v14:training.t]»"\nbq ls other:ds', expect: [{ form: 'bq-cli' }, { form: 'legacy-sql' }] },
  { name: 'own project with unknown dataset', input: 'see «cbi-v14.newds.t» and «cbi-v14:newds.u»' },
  { name: 'markdown links are not legacy SQL', input: '[«models_v4.t»](http://x) then [a.b]' },
  { name: 'sentence end and version numbers', input: 'Read «training.t». Version 1.2.3 of v1.2.' },
  { name: 'hyphenated prose is not a project', input: 'the re-models_v4.t path and «cbi-v14.models_v4.t»' },
];

for (const c of cases) test(`plain: ${c.name}`, () => runCase('plain', c));
