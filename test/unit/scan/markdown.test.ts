import { test } from 'node:test';
import { runCase, type Case } from './cases';

const cases: Case[] = [
  { name: 'a SQL fence is SQL: unknown datasets in table position, comments', input: '# Notes\n\n```sql\nSELECT * FROM «other.t» -- «models_v4.c»\n```\nprose about other.u', expect: [{ context: 'code' }, { context: 'comment' }] },
  {
    name: 'a bash fence with a Python heredoc: f-string placeholders',
    input: "```bash\npython3 - <<EOF\ntable_id = f'«cbi-v14.models_v4.production_training_data_{horizon}»'\nEOF\n```",
    expect: [{ table: 'production_training_data_{horizon}', placeholders: ['{horizon}=horizon'] }],
  },
  { name: 'a Python fence with tildes', input: '~~~python\nq = f"SELECT * FROM «{PROJECT}.models_v4.t_{h}»"\n~~~\n', expect: [{ placeholders: ['{PROJECT}=PROJECT', '{h}=h'] }] },
  { name: 'escaped backticks in a shell fence', input: '```sh\nbq query "SELECT COUNT(*) FROM «\\`cbi-v14.forecasting_data_warehouse.${table}\\`»"\n```', expect: [{ form: 'backtick', table: '${table}' }] },
  { name: 'placeholders in prose and inline code', input: 'Query «`{PROJECT_ID}.forecasting_data_warehouse.soybean_oil_prices`» or «$PROJECT.models_v4.t».', expect: [{ project: '{PROJECT_ID}' }, { project: '$PROJECT' }] },
  {
    name: 'templated names in prose keep their braces',
    input: '- «models_v4.production_training_data_{horizon}»\n- «models_v4.production_training_data_{1w|1m|3m|6m|12m}» (5 tables)',
    expect: [{ table: 'production_training_data_{horizon}', placeholders: ['{horizon}=horizon'] }, { table: 'production_training_data_{1w|1m|3m|6m|12m}', placeholders: ['{1w|1m|3m|6m|12m}=1w|1m|3m|6m|12m'] }],
  },
  { name: 'wildcard tables in prose', input: 'same pattern as «forecasting_data_warehouse.commodity_*», and «`archive.legacy_20251114__models_v4__*`»', expect: [{ wildcard: true, table: 'commodity_*' }, { wildcard: true }] },
  { name: 'Jinja in prose', input: 'FROM «{{ params.project }}.models_v4.t» then', expect: [{ project: '{{ params.project }}', placeholders: ['{{ params.project }}=params.project'] }] },
  { name: 'an unclosed fence runs to the end', input: '```sql\nSELECT * FROM «other.t»' },
  { name: 'inline code that looks like a fence opener is not one', input: 'Use ```sql``` blocks; other.t is prose, «models_v4.t» too' },
  { name: 'HTML tags are not placeholders', input: '<td>«models_v4.t»</td><br>«training.u»' },
];
for (const c of cases) test(`markdown: ${c.name}`, () => runCase('markdown', c));
