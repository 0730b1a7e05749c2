import { test } from 'node:test';
import { runCase, type Case } from './cases';

const BT = '\\`';
const cases: Case[] = [
  {
    name: 'escaped backticks in a bq query string, table from a shell variable',
    input: `bq query --use_legacy_sql=false "SELECT COUNT(*) FROM «${BT}cbi-v14.forecasting_data_warehouse.\${table}${BT}»"`,
    expect: [{ form: 'backtick', project: 'cbi-v14', dataset: 'forecasting_data_warehouse', table: '${table}', placeholders: ['${table}=table'] }],
  },
  {
    name: 'bq cp with placeholders: both names are found',
    input: 'for table in a b; do\n  bq cp -f «cbi-v14.forecasting_data_warehouse.${table}» «cbi-v14.market_data.fwd_${table}»\ndone',
    expect: [{ table: '${table}' }, { dataset: 'market_data', table: 'fwd_${table}' }],
  },
  { name: '{PROJECT_ID}, $PROJECT and ${PROJECT} projects', input: 'echo "FROM «`{PROJECT_ID}.forecasting_data_warehouse.soybean_oil_prices`»"\nbq show «$PROJECT:models_v4.t»\nbq rm -f «${PROJECT}.models_v4.u»', expect: [{ project: '{PROJECT_ID}' }, { form: 'bq-cli', project: '$PROJECT' }, { project: '${PROJECT}' }] },
  {
    name: 'a Python heredoc is read as Python: f-string placeholders',
    input: "python3 - <<EOF\nfrom google.cloud import bigquery\ntable_id = f'«cbi-v14.models_v4.production_training_data_{horizon}»'\nEOF\necho done «models_v4.after»",
    expect: [{ context: 'string', table: 'production_training_data_{horizon}', placeholders: ['{horizon}=horizon'] }, {}],
  },
  { name: 'a bq query heredoc is read as SQL: unknown datasets in table position', input: "bq query --nouse_legacy_sql <<'SQL'\nSELECT * FROM «other.t» -- «models_v4.c»\nSQL\n", expect: [{ context: 'code' }, { context: 'comment' }] },
  { name: 'cat > file.sql heredoc is SQL, <<- strips tabs', input: 'cat > build.sql <<-EOF\n\tCREATE TABLE «x.y» AS SELECT 1;\n\tEOF\nls x.y' },
  { name: 'comments only at a word start', input: 'echo ${#arr} «models_v4.t» # was «models_v4.u»\nx=a#b.c', expect: [{ context: 'string' }, { context: 'comment' }] },
  { name: 'single-quoted SQL with plain backticks', input: "bq query 'SELECT * FROM «`cbi-v14.models_v4.t`»'", expect: [{ form: 'backtick' }] },
  { name: 'a quote inside a double-quoted command substitution', input: 'X="$(cat "$f") «models_v4.t»"\n# «training.c»', expect: [{ context: 'string' }, { context: 'comment' }] },
];
for (const c of cases) test(`shell: ${c.name}`, () => runCase('shell', c));

test('dockerfile, makefile and .env use the shell rules', () => {
  runCase('dockerfile', { name: 'Dockerfile', input: 'FROM python:3.12\nENV SOURCE_TABLE=«models_v4.production_training_data_1m»\n# «training.c»\nRUN bq query "SELECT 1 FROM «\\`cbi-v14.models_v4.t\\`»"' });
  runCase('makefile', { name: 'Makefile', input: 'refresh:\n\tbq show «$(PROJECT):models_v4.t»\n\tbq rm -f $«${PROJECT}.models_v4.u» # «training.v»', expect: [{ project: '$(PROJECT)', form: 'bq-cli' }, { project: '${PROJECT}' }, { context: 'comment' }] });
  runCase('dotenv', { name: '.env', input: 'SOURCE_TABLE=«models_v4.production_training_data_1m»\nexport TARGET="«cbi-v14.training.zl_training_prod_allhistory_1m»" # «models_v4.old»' });
});
