import { test } from 'node:test';
import { runCase, type Case } from './cases';

const cases: Case[] = [
  {
    name: 'f-string with project placeholder and horizon in the table',
    input: 'table = f"«{PROJECT_ID}.models_v4.production_training_data_{h}»"',
    expect: [{ form: 'bare', context: 'string', project: '{PROJECT_ID}', dataset: 'models_v4', table: 'production_training_data_{h}', placeholders: ['{PROJECT_ID}=PROJECT_ID', '{h}=h'] }],
  },
  {
    name: 'f-string with backticks, conversion and format spec',
    input: "q = f'''SELECT * FROM «`{project!s}.models_v4.t_{horizon:>3}`»'''",
    expect: [{ form: 'backtick', placeholders: ['{project!s}=project', '{horizon:>3}=horizon'] }],
  },
  { name: 'format-style {name} in a plain string', input: 'q = "SELECT * FROM «{project}.training.zl_{h}»".format(project=P, h=h)', expect: [{ placeholders: ['{project}=project', '{h}=h'] }] },
  { name: '%(name)s and %s placeholders', input: 'q = "SELECT * FROM «%(project)s.training.zl_%(h)s»" % args\nr = "FROM «%s.models_v4.t»" % p', expect: [{ placeholders: ['%(project)s=project', '%(h)s=h'] }, { placeholders: ['%s='] }] },
  { name: 'embedded SQL finds unknown datasets in table position', input: 'client.query("SELECT * FROM «other.t» JOIN «x.y» ON TRUE")' },
  { name: 'code is not scanned: attribute access', input: 'import os.path\nx = os.path.join(a.b, models_v4.t)\nfrom models_v4 import t' },
  { name: 'strings outside table position need a known dataset', input: 'a = "file.csv"\nb = "os.path"\nc = "«training.zl_training_prod_allhistory_1m»"\nd = "load from config.json"' },
  { name: 'all prefixes', input: `a = r"«models_v4.r»"; b = b'«models_v4.b»'; c = rb"«models_v4.rb»"; d = Rf"«{p}.models_v4.t»"; e = u'«models_v4.u»'; f = BR'«models_v4.x»'` },
  { name: 'triple-quoted docstring spanning lines', input: '"""\nReads «models_v4.production_training_data_1m»\nand writes «training.zl_training_prod_allhistory_1m».\n"""' },
  { name: 'comments: known datasets, bq CLI form', input: '# bq show «cbi-v14:models_v4.t» and other:x.y\nx = 1  # «training.t»', expect: [{ form: 'bq-cli', context: 'comment', project: 'cbi-v14' }, { context: 'comment' }] },
  { name: 'bq CLI in a subprocess string', input: 'subprocess.run(["bq", "cp", "«cbi-v14:models_v4.t$20230101»", "«cbi-v14:archive.t»"])', expect: [{ form: 'bq-cli', decorator: '$20230101' }, { form: 'bq-cli' }] },
  { name: 'escaped quotes and {{ }} literals', input: 'a = "it\\"s «models_v4.t»"\nb = f"{{«models_v4.literal_braces»}} «{P}.training.x»"', expect: [{}, { placeholders: [] }, { placeholders: ['{P}=P'] }] },
  { name: 'nested quotes in f-string field (3.12)', input: 'q = f"«{cfg["project"]}.training.x» and «models_v4.y»"', expect: [{ project: '{cfg["project"]}', placeholders: ['{cfg["project"]}=cfg["project"]'] }] },
  { name: 'unterminated string ends at the line', input: 'a = "«models_v4.t»\nb = models_v4.code # «training.c»' },
  { name: 'dataset from a placeholder is not a reference', input: 'q = f"SELECT * FROM {ds}.{table}"' },
  { name: 'a placeholder right after $ is skipped, not stalled on', input: `a = '''$%s.x \${_fN}9,/'''\nb = r'$%s\0' + "«models_v4.t»"` },
  { name: 'whole names only', input: 'a = "«models_v4.x_1m_backup»"; b = "prefix.models_v4.t.suffix"' },
];

for (const c of cases) test(`python: ${c.name}`, () => runCase('python', c));

const more: Case[] = [
  { name: 'a \\n escape before a name', input: 'q = "SELECT *\\nFROM\\n«models_v4.t»\\t«training.u»"' },
  { name: 'string concatenation after the project', input: 'table = PROJECT + ".«models_v4.production_training_data_1m»"' },
  { name: '$PROJECT and ${PROJECT} in plain strings (string.Template, expandvars)', input: 'a = Template("FROM «$project.models_v4.t»")\nb = os.path.expandvars("«${PROJECT}.models_v4.u»")', expect: [{ project: '$project' }, { project: '${PROJECT}' }] },
  { name: 'templated names in comments', input: '# reads «models_v4.production_training_data_{horizon}» for every horizon', expect: [{ placeholders: ['{horizon}=horizon'] }] },
];
for (const c of more) test(`python: ${c.name}`, () => runCase('python', c));
