import { test } from 'node:test';
import { runCase, type Case } from './cases';

const yaml: Case[] = [
  { name: 'Airflow value with a Jinja project', input: 'destination_dataset_table: "«{{ params.project }}.models_v4.production_training_data_1m»"\n', expect: [{ project: '{{ params.project }}' }] },
  { name: 'a sql: block scalar is SQL', input: 'tasks:\n  - id: build\n    sql: |\n      SELECT * FROM «other.t»\n      JOIN «models_v4.u» USING (d)\n    note: other.x\n', expect: [{ context: 'code' }, { context: 'code' }] },
  { name: 'a run: block scalar is shell', input: 'steps:\n  - run: |\n      bq query "SELECT 1 FROM «\\`cbi-v14.models_v4.t\\`»"\n', expect: [{ form: 'backtick' }] },
  { name: 'comments, and an apostrophe inside a value is not a quote', input: "note: it's «models_v4.a» # «training.b»\nnext: «models_v4.c»", expect: [{ context: 'string' }, { context: 'comment' }, { context: 'string' }] },
  { name: '${{ }} and $VAR placeholders', input: 'run: bq show «${{ env.PROJECT }}:models_v4.t» && bq show «$PROJECT:models_v4.u»', expect: [{ project: '${{ env.PROJECT }}' }, { project: '$PROJECT' }] },
];
for (const c of yaml) test(`yaml: ${c.name}`, () => runCase('yaml', c));

const json: Case[] = [
  { name: 'an escape before a name does not glue onto it', input: '{"query": "SELECT *\\nFROM x\\n\\t«models_v4.t»\\n", "«models_v4.key»": 1}' },
  { name: 'escaped quotes and backticks', input: '{"q": "SELECT \\"a\\" FROM «`cbi-v14.models_v4.t`»"} // «training.c»', expect: [{ form: 'backtick' }, { context: 'comment' }] },
];
for (const c of json) test(`json: ${c.name}`, () => runCase('json', c));

const hcl: Case[] = [
  { name: 'strings with ${var.project}', input: 'resource "google_bigquery_table" "v" {\n  view {\n    query = "SELECT * FROM «`${var.project}.models_v4.t`»"\n  }\n}', expect: [{ project: '${var.project}' }] },
  { name: 'a query heredoc is SQL; code is not searched', input: 'query = <<-EOT\n  SELECT * FROM «other.t»\n  EOT\nx = google_bigquery_table.models_v4.id # «models_v4.c»', expect: [{ context: 'code' }, { context: 'comment' }] },
  { name: 'a string holding a template with quotes', input: 'name = "${format("%s", "a")} «models_v4.t»" // «training.u»\n/* «training.v» */' },
];
for (const c of hcl) test(`terraform: ${c.name}`, () => runCase('terraform', c));

const sqlx: Case[] = [
  {
    name: 'config block as JavaScript, body as SQL with ${…} expressions',
    input: 'config {\n  type: "table",\n  description: "built from «models_v4.production_training_data_1m»"\n}\nSELECT * FROM ${ref("src")} JOIN «`${dataform.projectConfig.defaultDatabase}.models_v4.t`» USING (d)\nWHERE s = "${when(true, "x")}" AND d IN (SELECT d FROM «other.u»)',
    expect: [{ context: 'string' }, { project: '${dataform.projectConfig.defaultDatabase}' }],
  },
  { name: 'pre_operations are SQL', input: 'pre_operations {\n  DELETE FROM «other.t» WHERE TRUE\n}\nSELECT 1' },
];
for (const c of sqlx) test(`dataform: ${c.name}`, () => runCase('dataform', c));

test('toml and ini: query values are SQL, other values strings, comments', () => {
  runCase('toml', { name: 'toml', input: '[job]\nsource = "«models_v4.t»" # «training.c»\nquery = """\nSELECT * FROM «other.t»\n"""\nlit = \'«models_v4.u»\'', expect: [{ context: 'string' }, { context: 'comment' }, { context: 'code' }, { context: 'string' }] });
  runCase('ini', { name: 'ini', input: '[bigquery]\n; «models_v4.c»\nsource = «%(project)s.models_v4.t»\nsql = SELECT *\n  FROM «other.t»\n# done', expect: [{ context: 'comment' }, { project: '%(project)s' }, { context: 'code' }] });
});
