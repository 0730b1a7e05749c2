/** How to write a suppression comment in each language the linter reads. */
export interface CommentSyntax {
  open: string;
  close?: string;
}

const HASH: CommentSyntax = { open: '#' };
const SLASH: CommentSyntax = { open: '//' };
const DASH: CommentSyntax = { open: '--' };
const HTML: CommentSyntax = { open: '<!--', close: '-->' };

const BY_LANGUAGE: Record<string, CommentSyntax> = {
  sql: DASH,
  python: HASH,
  yaml: HASH,
  shellscript: HASH,
  dockerfile: HASH,
  makefile: HASH,
  toml: HASH,
  typescript: SLASH,
  typescriptreact: SLASH,
  javascript: SLASH,
  javascriptreact: SLASH,
  markdown: HTML,
};

const BY_EXTENSION: Record<string, CommentSyntax> = {
  '.sql': DASH,
  '.bqsql': DASH,
  '.py': HASH,
  '.yml': HASH,
  '.yaml': HASH,
  '.sh': HASH,
  '.bash': HASH,
  '.ts': SLASH,
  '.tsx': SLASH,
  '.js': SLASH,
  '.jsx': SLASH,
  '.mjs': SLASH,
  '.cjs': SLASH,
  '.md': HTML,
};

export function commentSyntaxFor(languageId: string, fileName: string): CommentSyntax {
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  return BY_LANGUAGE[languageId] ?? BY_EXTENSION[ext] ?? HASH;
}

export function suppressionComment(syntax: CommentSyntax, directive: 'bqmigrate-disable-next-line' | 'bqmigrate-disable', rule: string): string {
  return `${syntax.open} ${directive} ${rule}${syntax.close ? ` ${syntax.close}` : ''}`;
}
