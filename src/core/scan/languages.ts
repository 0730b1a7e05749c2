/**
 * The language table: one row per language the scanner reads — its lexer, the files and VS Code
 * language ids it covers, the names of Markdown fences written in it, its placeholders, what the
 * prefilter must look for, and how a suppression comment is written in it. Every consumer (file
 * classification, scanText, the prefilter, the editor's suppression quick fix, heredoc and fence
 * languages) reads this table; adding a language is adding a row (and its tests).
 */
import { lexIni, lexToml, QUERY_KEY } from './config';
import { lexHcl } from './hcl';
import { lexJavaScript } from './javascript';
import { lexJson } from './json';
import type { Lexer } from './lexer';
import { fenceInfoAt, lexMarkdown } from './markdown';
import { lexNotebook } from './notebook';
import { HoleKind, SQL_HOLES, TEXT_HOLES } from './placeholders';
import { lexPlain } from './plain';
import { lexPython } from './python';
import { lexShell } from './shell';
import { lexSql } from './sql';
import { lexSqlx } from './sqlx';
import type { LanguageId } from './types';
import { lexYaml } from './yaml';

/** How a suppression comment is written: `open` + directive (+ `close`). */
export interface CommentSyntax {
  open: string;
  close?: string;
}

/**
 * What the prefilter (`mightContainRefs`, prefilter.ts) must let through: `names` — a known dataset or the
 * project (only those can be references: prose, plain text); `strings` — also a table keyword followed by a
 * path (an unknown dataset in a string's SQL: languages that hold SQL only in string literals); `sql` — also
 * any table keyword, backtick or `[` (quoted paths are references in SQL code: SQL, and every format that
 * embeds SQL code — fences, heredocs, YAML block scalars, Terraform and config queries, notebook cells).
 */
export type PrefilterKind = 'names' | 'strings' | 'sql';

export interface Language {
  id: LanguageId;
  lex: Lexer;
  /** File extensions, lower-case, without the dot. */
  extensions: readonly string[];
  /** Whole file names (lower-case), and prefixes of names ending in `*` (`dockerfile.*`, `.env.*`). */
  fileNames?: readonly string[];
  /** VS Code language ids. */
  languageIds: readonly string[];
  /** Info strings of Markdown fences, and heredoc / notebook kernel names, written in this language. */
  fenceNames: readonly string[];
  /** HoleKind flags: placeholders the text may hold outside the lexer's own string fields. */
  holes: number;
  prefilter: PrefilterKind;
  /** How to write a suppression comment; undefined when the format has no comments (JSON, notebooks). */
  comment?: CommentSyntax;
}

const HASH: CommentSyntax = { open: '#' };
const SLASHES: CommentSyntax = { open: '//' };
const DASHES: CommentSyntax = { open: '--' };
const HTML: CommentSyntax = { open: '<!--', close: '-->' };

export const LANGUAGES: readonly Language[] = [
  {
    id: 'sql',
    lex: (ctx, from, to) => void lexSql(ctx, from, to),
    extensions: ['sql', 'bqsql', 'ddl', 'dml'],
    languageIds: ['sql', 'bigquery', 'googlesql', 'bqsql', 'jinja-sql'],
    fenceNames: ['sql', 'bigquery', 'googlesql', 'bqsql', 'bq', 'ddl', 'jinja-sql', 'sql+jinja'],
    holes: SQL_HOLES,
    prefilter: 'sql',
    comment: DASHES,
  },
  {
    id: 'python',
    lex: lexPython,
    extensions: ['py', 'pyi', 'pyw'],
    languageIds: ['python'],
    fenceNames: ['python', 'py', 'python3', 'ipython', 'ipython3', 'pycon'],
    holes: TEXT_HOLES,
    prefilter: 'strings',
    comment: HASH,
  },
  {
    id: 'javascript',
    lex: lexJavaScript,
    extensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'],
    languageIds: ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'],
    fenceNames: ['javascript', 'js', 'typescript', 'ts', 'jsx', 'tsx', 'node', 'mjs'],
    holes: TEXT_HOLES,
    prefilter: 'strings',
    comment: SLASHES,
  },
  {
    id: 'shell',
    lex: (ctx, from, to) => lexShell(ctx, from, to, heredocLanguage),
    extensions: ['sh', 'bash', 'zsh', 'ksh', 'command'],
    fileNames: ['.bashrc', '.bash_profile', '.profile', '.zshrc'],
    languageIds: ['shellscript', 'bash', 'sh', 'zsh'],
    fenceNames: ['bash', 'sh', 'shell', 'zsh', 'ksh', 'shellscript'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'dockerfile',
    lex: (ctx, from, to) => lexShell(ctx, from, to, heredocLanguage),
    extensions: ['dockerfile', 'containerfile'],
    fileNames: ['dockerfile', 'containerfile', 'dockerfile.*', 'containerfile.*'],
    languageIds: ['dockerfile'],
    fenceNames: ['dockerfile', 'docker', 'containerfile'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'makefile',
    lex: (ctx, from, to) => lexShell(ctx, from, to, heredocLanguage),
    extensions: ['mk', 'mak', 'make'],
    fileNames: ['makefile', 'gnumakefile', 'makefile.*'],
    languageIds: ['makefile'],
    fenceNames: ['makefile', 'make', 'mk'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'dotenv',
    lex: (ctx, from, to) => lexShell(ctx, from, to, heredocLanguage),
    extensions: ['env'],
    fileNames: ['.env', '.env.*', '.envrc', '.flaskenv'],
    languageIds: ['dotenv', 'properties-env'],
    fenceNames: ['dotenv', 'env'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'markdown',
    lex: (ctx, from, to) => lexMarkdown(ctx, from, to, fenceLanguage),
    extensions: ['md', 'markdown', 'mdx', 'mdown', 'mkd', 'rmd', 'qmd'],
    languageIds: ['markdown', 'mdx', 'rmd', 'quarto'],
    fenceNames: ['markdown', 'md'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HTML,
  },
  {
    id: 'yaml',
    lex: (ctx, from, to) => lexYaml(ctx, from, to, blockScalarLanguage),
    extensions: ['yaml', 'yml'],
    languageIds: ['yaml', 'github-actions-workflow', 'dockercompose'],
    fenceNames: ['yaml', 'yml'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'json',
    lex: lexJson,
    extensions: ['json', 'jsonc', 'json5', 'jsonl', 'ndjson', 'geojson'],
    languageIds: ['json', 'jsonc', 'jsonl', 'json5'],
    fenceNames: ['json', 'jsonc', 'json5', 'jsonl'],
    holes: TEXT_HOLES,
    prefilter: 'strings',
  },
  {
    id: 'notebook',
    lex: (ctx, from, to) => lexNotebook(ctx, from, to, kernelLanguage),
    extensions: ['ipynb'],
    languageIds: ['jupyter', 'ipynb'],
    fenceNames: [],
    holes: TEXT_HOLES,
    prefilter: 'sql',
  },
  {
    id: 'terraform',
    lex: lexHcl,
    extensions: ['tf', 'tfvars', 'hcl', 'nomad'],
    languageIds: ['terraform', 'hcl', 'terraform-vars'],
    fenceNames: ['terraform', 'tf', 'hcl', 'tfvars'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'dataform',
    lex: lexSqlx,
    extensions: ['sqlx'],
    languageIds: ['sqlx', 'dataform'],
    fenceNames: ['sqlx', 'dataform'],
    holes: SQL_HOLES,
    prefilter: 'sql',
    comment: DASHES,
  },
  {
    id: 'toml',
    lex: lexToml,
    extensions: ['toml'],
    fileNames: ['pipfile', 'poetry.lock'],
    languageIds: ['toml'],
    fenceNames: ['toml'],
    holes: TEXT_HOLES,
    prefilter: 'sql',
    comment: HASH,
  },
  {
    id: 'ini',
    lex: lexIni,
    extensions: ['ini', 'cfg', 'conf', 'properties', 'editorconfig'],
    fileNames: ['.pylintrc', '.flake8', 'pylintrc', '.sqlfluff', '.bigqueryrc'],
    languageIds: ['ini', 'properties'],
    fenceNames: ['ini', 'cfg', 'conf', 'properties'],
    holes: TEXT_HOLES | HoleKind.Percent,
    prefilter: 'sql',
    comment: { open: ';' },
  },
  {
    id: 'plain',
    lex: lexPlain,
    extensions: [],
    languageIds: ['plaintext'],
    fenceNames: ['text', 'txt', 'plain', 'console', 'shell-session', 'output', 'log', 'csv'],
    holes: TEXT_HOLES,
    prefilter: 'names',
    comment: HASH,
  },
];

/** Formats that are never text worth reading: the walk reports them as binary without opening them. */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
  'parquet avro orc png jpg jpeg gif ico webp bmp tif tiff pdf zip gz tgz bz2 xz zst 7z tar jar war whl egg so dylib dll exe bin o a lib class pyc pyo pkl pickle joblib h5 hdf5 npy npz onnx pt pth ckpt safetensors duckdb db sqlite sqlite3 woff woff2 ttf otf eot mp3 mp4 mov avi wav flac vsix xlsx xls docx pptx feather arrow'.split(
    ' ',
  ),
);

const byId = new Map<LanguageId, Language>();
const byExtension = new Map<string, Language>();
const byFileName = new Map<string, Language>();
const byFilePrefix: [string, Language][] = [];
const byLanguageId = new Map<string, Language>();
const byFence = new Map<string, Language>();
for (const l of LANGUAGES) {
  byId.set(l.id, l);
  for (const e of l.extensions) byExtension.set(e, l);
  for (const n of l.fileNames ?? []) {
    if (n.endsWith('*')) byFilePrefix.push([n.slice(0, -1), l]);
    else byFileName.set(n, l);
  }
  for (const id of l.languageIds) byLanguageId.set(id, l);
  for (const f of l.fenceNames) byFence.set(f, l);
  byFence.set(l.id, l);
}

export function language(id: LanguageId): Language {
  return byId.get(id)!;
}

/** The row for a file path (by name, then extension); undefined for known binary formats. Unknown text is `plain`. */
export function languageOfFile(filePath: string): Language | undefined {
  const base = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1).toLowerCase();
  const named = byFileName.get(base);
  if (named !== undefined) return named;
  // Indexed: the walk asks this of every file, mostly before the function is optimised, when `for…of` makes an iterator and an entry per step.
  for (let k = 0; k < byFilePrefix.length; k++) if (base.startsWith(byFilePrefix[k]![0])) return byFilePrefix[k]![1];
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return byId.get('plain');
  const ext = base.slice(dot + 1);
  if (BINARY_EXTENSIONS.has(ext)) return undefined;
  return byExtension.get(ext) ?? byId.get('plain');
}

/** The row for a VS Code language id; undefined when the id is not one of the table's. */
export function languageOfId(languageId: string): Language | undefined {
  return byLanguageId.get(languageId.toLowerCase());
}

/**
 * The language a file path or VS Code language id is read as. A language id the table does not list is
 * read as plain text; a known binary format is undefined (not read).
 */
export function languageIdOf(filePathOrLanguageId: string): LanguageId | undefined {
  const s = filePathOrLanguageId;
  if (!/[./\\]/.test(s)) return (languageOfId(s) ?? byId.get('plain')!).id;
  return languageOfFile(s)?.id;
}

/** A Markdown fence's info string (`sql`, `bash`, `py`) → its language; unknown names are plain text. */
export function fenceLanguage(info: string): LanguageId {
  return byFence.get(info)?.id ?? 'plain';
}

/** The language at `offset` of a text read as `id`: inside a Markdown fence, the fence's language. */
export function embeddedLanguageAt(id: LanguageId, text: string, offset: number): LanguageId {
  if (id !== 'markdown') return id;
  const info = fenceInfoAt(text, offset);
  return info === undefined ? id : fenceLanguage(info);
}

/** A notebook kernel's language (`python`, `sql`, `bash`) → its language; unknown kernels read as Python. */
function kernelLanguage(name: string): LanguageId {
  return byFence.get(name)?.id ?? 'python';
}

/**
 * The language of a heredoc body from the command line that opens it: the interpreter it feeds
 * (`python3 - <<EOF`, `bq query <<SQL`, `psql <<EOF`), or the file it writes (`cat > build.sql <<EOF`).
 */
export function heredocLanguage(commandLine: string): LanguageId {
  if (/\b(?:python[0-9.]*|ipython[0-9]*|uv run python|poetry run python)\b/.test(commandLine)) return 'python';
  if (/\bbq\s+(?:query|mk)\b|\b(?:psql|duckdb|sqlite3|snowsql|mysql|bigquery|spark-sql|beeline)\b/.test(commandLine)) return 'sql';
  if (/\b(?:node|deno|ts-node|tsx|bun)\b/.test(commandLine)) return 'javascript';
  const target = /(?:>>?|\btee(?:\s+-a)?)\s*["']?([^\s"'<>|;]+)/.exec(commandLine.replace(/<<-?\s*["']?\w+["']?/g, ''));
  if (target) {
    const l = languageOfFile(target[1]!);
    if (l !== undefined && l.id !== 'plain') return l.id;
  }
  if (/\b(?:ba|z|k)?sh\b|\bssh\b|\bdocker\s+exec\b/.test(commandLine)) return 'shell';
  return 'plain';
}

/** A YAML block scalar's language from its key: queries are SQL, `run:` / `bash_command:` / `script:` shell. */
function blockScalarLanguage(key: string): LanguageId {
  if (QUERY_KEY.test(key)) return 'sql';
  if (/^(?:run|script|scripts|command|cmd|entrypoint|bash_command|shell|before_script|after_script|args)$/i.test(key)) return 'shell';
  if (/^(?:python|python_code|code)$/i.test(key)) return 'python';
  return 'plain';
}
