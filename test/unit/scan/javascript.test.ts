import { test } from 'node:test';
import { runCase, type Case } from './cases';

const cases: Case[] = [
  {
    name: 'template literal with project and horizon placeholders',
    input: 'const t = `«${project}.training.x_${horizon}»`;',
    expect: [{ context: 'string', project: '${project}', dataset: 'training', table: 'x_${horizon}', placeholders: ['${project}=project', '${horizon}=horizon'] }],
  },
  { name: 'embedded SQL in a template with nested templates', input: 'const q = `SELECT ${cols.map((c) => `t.${c}`).join(", ")} FROM «\\`${PROJECT}.models_v4.t\\`» JOIN «other.u»`;', expect: [{ form: 'backtick', project: '${PROJECT}', dataset: 'models_v4', table: 't' }, {}] },
  { name: 'single and double quoted strings', input: `const a = 'FROM «other.t»'; const b = "«training.x»"; const c = "a.b";` },
  { name: 'code is not scanned', input: 'const x = models_v4.t; window.location.href = a.b;' },
  { name: 'regex literal vs division', input: 'const r = /FROM models_v4\\.t/g; const d = a / b / 2; const s = "«models_v4.after»"; if (x) return /`[/]`/.test(y);' },
  { name: 'division after a closing paren, then a string', input: 'const n = (a + b) / 2; const m = "«training.t»" / 1;' },
  { name: 'comments', input: '// uses «models_v4.t»\n/* and «training.u»,\n   not other.v */ const x = 1;', expect: [{ context: 'comment' }, { context: 'comment' }] },
  { name: 'TSX attribute strings', input: 'export const A = () => <Table name="«training.zl_training_prod_allhistory_1m»" />;' },
  { name: 'unterminated template runs to the end', input: 'const q = `FROM «other.t»\nmore' },
  { name: 'escaped backtick inside a template', input: 'const q = `a \\` b «models_v4.t»`;' },
  { name: 'shebang', input: '#!/usr/bin/env node\nconst a = "«models_v4.t»";' },
];

for (const c of cases) test(`javascript: ${c.name}`, () => runCase('javascript', c));
