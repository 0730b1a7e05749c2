import type { LanguageFamily } from './types';

const BY_LANGUAGE_ID: Record<string, LanguageFamily> = {
  sql: 'sql',
  bigquery: 'sql',
  googlesql: 'sql',
  bqsql: 'sql',
  python: 'python',
  javascript: 'javascript',
  typescript: 'javascript',
  javascriptreact: 'javascript',
  typescriptreact: 'javascript',
};

const BY_EXTENSION: Record<string, LanguageFamily> = {
  sql: 'sql',
  bqsql: 'sql',
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'javascript',
  mts: 'javascript',
  cts: 'javascript',
  tsx: 'javascript',
};

/** Files that are never text worth scanning. */
const BINARY = new Set(
  'parquet avro orc png jpg jpeg gif ico webp bmp pdf zip gz tgz bz2 xz 7z tar jar whl so dylib dll exe bin o a class pyc pkl pickle joblib h5 hdf5 npy npz duckdb db sqlite woff woff2 ttf otf eot mp3 mp4 mov wav vsix xlsx xls docx pptx'.split(' '),
);

/**
 * The lexer family for a file path (by extension) or a VS Code language id. Unknown text files are
 * `plain`; known binary formats are undefined (not scanned).
 */
export function languageFamilyOf(filePathOrLanguageId: string): LanguageFamily | undefined {
  const s = filePathOrLanguageId;
  if (!/[./\\]/.test(s)) return BY_LANGUAGE_ID[s.toLowerCase()] ?? 'plain';
  const base = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return 'plain';
  const ext = base.slice(dot + 1).toLowerCase();
  if (BINARY.has(ext)) return undefined;
  return BY_EXTENSION[ext] ?? 'plain';
}
