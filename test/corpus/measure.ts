/**
 * Measures the built CLI on the realistic corpus, the way a user runs it: `bqmigrate lint --format json`
 * for recall and precision against the hand-written reference spans, `bqmigrate fix` for the share of
 * files byte-identical to the hand-written rewrite, a second `fix` that must change nothing, every fixed
 * Python file compiled by python3 and every fixed notebook parsed as JSON. The independent naive finder
 * runs over the same inputs; each file where it and the scanner disagree is listed.
 *
 * `node out/test/corpus/measure.js [copies]` prints the figures (the README's table comes from it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCorpus, writeCorpus, type CorpusFile } from './corpus';
import { naiveFinder } from './naive-finder';

/** The rules whose findings are legacy references (the mappings' old names). */
const REFERENCE_RULES = new Set(['legacy-reference', 'shim-reference']);

export interface Found {
  rel: string;
  template: string;
  text: string;
  start: number;
}

export interface Figures {
  files: number;
  references: number;
  /** Reference spans with a scanner finding on them. */
  found: number;
  findings: number;
  /** Scanner findings on a reference span. */
  correctFindings: number;
  misses: Found[];
  falsePositives: Found[];
  naive: { found: number; findings: number; correctFindings: number };
  /** Scanner-only and naive-only spans. */
  scannerOnly: Found[];
  naiveOnly: Found[];
  filesToChange: number;
  /** Files whose fixed text equals the hand-written rewrite, among all files. */
  identical: number;
  notIdentical: string[];
  secondFixChanged: string[];
  pythonFiles: number;
  pythonErrors: string[];
  notebooks: number;
  notebookErrors: string[];
  lintExit: number | null;
  fixStderr: string;
}

function repoRoot(): string {
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.mjs')))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('no repository root above ' + __dirname);
    dir = up;
  }
  return dir;
}

function cli(root: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'bqmigrate.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];

function snapshot(dir: string, files: readonly CorpusFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.rel, fs.readFileSync(path.join(dir, ...f.rel.split('/')), 'utf8')]));
}

export function measure(copies = 20, keep?: (dir: string) => void): Figures {
  const root = repoRoot();
  const files = buildCorpus(root, copies);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-corpus-'));
  try {
    writeCorpus(root, dir, files);
    const naive = naiveFinder(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'));
    const lint = cli(root, ['lint', '--format', 'json', '.'], dir);
    const results = JSON.parse(lint.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number; endLine: number; endColumn: number }[] }[];
    const byPath = new Map(results.map((r) => [path.relative(dir, r.filePath).split(path.sep).join('/'), r]));
    const fig: Figures = {
      files: files.length,
      references: 0,
      found: 0,
      findings: 0,
      correctFindings: 0,
      misses: [],
      falsePositives: [],
      naive: { found: 0, findings: 0, correctFindings: 0 },
      scannerOnly: [],
      naiveOnly: [],
      filesToChange: 0,
      identical: 0,
      notIdentical: [],
      secondFixChanged: [],
      pythonFiles: 0,
      pythonErrors: [],
      notebooks: 0,
      notebookErrors: [],
      lintExit: lint.code,
      fixStderr: '',
    };
    for (const f of files) {
      const starts = lineStarts(f.input);
      const at = (line: number, column: number) => starts[line - 1]! + column - 1;
      const scanner = (byPath.get(f.rel)?.messages ?? []).filter((m) => REFERENCE_RULES.has(m.ruleId)).map((m) => [at(m.line, m.column), at(m.endLine, m.endColumn)] as [number, number]);
      const plain = naive(f.input);
      const found = (span: readonly [number, number]): Found => ({ rel: f.rel, template: f.template, text: f.input.slice(span[0], span[1]), start: span[0] });
      fig.references += f.truth.length;
      fig.findings += scanner.length;
      fig.naive.findings += plain.length;
      for (const t of f.truth) {
        if (scanner.some((s) => overlaps(s, t))) fig.found++;
        else fig.misses.push(found(t));
        if (plain.some((s) => overlaps(s, t))) fig.naive.found++;
      }
      for (const s of scanner) {
        if (f.truth.some((t) => overlaps(s, t))) fig.correctFindings++;
        else fig.falsePositives.push(found(s));
        if (!plain.some((p) => overlaps(p, s))) fig.scannerOnly.push(found(s));
      }
      for (const p of plain) {
        if (f.truth.some((t) => overlaps(p, t))) fig.naive.correctFindings++;
        if (!scanner.some((s) => overlaps(p, s))) fig.naiveOnly.push(found(p));
      }
      if (f.expected !== f.input) fig.filesToChange++;
    }
    const fix = cli(root, ['fix', '.'], dir);
    fig.fixStderr = fix.stderr;
    const fixed = snapshot(dir, files);
    for (const f of files) {
      if (fixed.get(f.rel) === f.expected) fig.identical++;
      else fig.notIdentical.push(f.rel);
    }
    cli(root, ['fix', '.'], dir);
    const again = snapshot(dir, files);
    for (const f of files) if (again.get(f.rel) !== fixed.get(f.rel)) fig.secondFixChanged.push(f.rel);
    const py = files.filter((f) => f.rel.endsWith('.py')).map((f) => path.join(dir, ...f.rel.split('/')));
    fig.pythonFiles = py.length;
    const compile = spawnSync('python3', ['-c', 'import sys\nfor p in sys.argv[1:]:\n  try:\n    compile(open(p, encoding="utf-8").read(), p, "exec")\n  except SyntaxError as e:\n    print(p, e)', ...py], { encoding: 'utf8' });
    if (compile.error) fig.pythonErrors.push(`python3 could not run: ${compile.error.message}`);
    else fig.pythonErrors.push(...compile.stdout.split('\n').filter(Boolean).map((l) => path.relative(dir, l)));
    for (const f of files.filter((x) => x.rel.endsWith('.ipynb'))) {
      fig.notebooks++;
      try {
        JSON.parse(again.get(f.rel)!);
      } catch (err) {
        fig.notebookErrors.push(`${f.rel}: ${(err as Error).message}`);
      }
    }
    if (keep) {
      // The hand-written rewrites beside the fixed tree, for `diff -r`.
      for (const f of files) {
        const p = path.join(`${dir}-expected`, ...f.rel.split('/'));
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.expected);
      }
      keep(dir);
    }
    return fig;
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(2)} %`;

export function summary(f: Figures): string {
  return [
    `files ${f.files}, references ${f.references}, files to change ${f.filesToChange}`,
    `scanner: recall ${pct(f.found, f.references)} (${f.found}/${f.references}), precision ${pct(f.correctFindings, f.findings)} (${f.correctFindings}/${f.findings})`,
    `naive finder: recall ${pct(f.naive.found, f.references)}, precision ${pct(f.naive.correctFindings, f.naive.findings)}`,
    `fix: byte-identical ${pct(f.identical, f.files)} of files (${f.identical}/${f.files}); second fix changed ${f.secondFixChanged.length} files`,
    `python files compiling after fix: ${f.pythonFiles - f.pythonErrors.length}/${f.pythonFiles}; notebooks valid JSON: ${f.notebooks - f.notebookErrors.length}/${f.notebooks}`,
    `disagreements with the naive finder: ${f.scannerOnly.length} scanner-only, ${f.naiveOnly.length} naive-only`,
  ].join('\n');
}

if (require.main === module) {
  const copies = Number(process.argv[2] ?? 20);
  const f = measure(copies, process.env.KEEP ? (d) => console.log(`kept ${d}`) : undefined);
  console.log(summary(f));
  const show = (title: string, xs: Found[]) => {
    if (xs.length === 0) return;
    console.log(`\n${title}:`);
    const seen = new Map<string, number>();
    for (const x of xs) seen.set(`${x.template}: ${JSON.stringify(x.text)}`, (seen.get(`${x.template}: ${JSON.stringify(x.text)}`) ?? 0) + 1);
    for (const [k, n] of seen) console.log(`  ${n}× ${k}`);
  };
  show('missed', f.misses);
  show('false positives', f.falsePositives);
  show('scanner only', f.scannerOnly);
  show('naive only', f.naiveOnly);
  if (f.notIdentical.length) console.log(`\nnot identical after fix: ${f.notIdentical.slice(0, 40).join(', ')}`);
  if (f.secondFixChanged.length) console.log(`second fix changed: ${f.secondFixChanged.join(', ')}`);
  if (f.pythonErrors.length) console.log(`python: ${f.pythonErrors.join('\n')}`);
  if (f.notebookErrors.length) console.log(`notebooks: ${f.notebookErrors.join('\n')}`);
}
