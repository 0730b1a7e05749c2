/** How to write a suppression comment in each language the linter reads: the language table's `comment`. */
import { embeddedLanguageAt, language, languageFor, type CommentSyntax } from '../../core/scan/index';

export type { CommentSyntax };

/**
 * The comment syntax at `offset` of a file (a Markdown fence's own language inside the fence); undefined
 * for formats without comments (JSON, notebooks).
 */
export function commentSyntaxFor(languageId: string, fileName: string, text?: string, offset?: number): CommentSyntax | undefined {
  const id = languageFor(fileName, languageId) ?? 'plain';
  return language(text !== undefined && offset !== undefined ? embeddedLanguageAt(id, text, offset) : id).comment;
}

export function suppressionComment(syntax: CommentSyntax, directive: 'bqmigrate-disable-next-line' | 'bqmigrate-disable', rule: string): string {
  return `${syntax.open} ${directive} ${rule}${syntax.close ? ` ${syntax.close}` : ''}`;
}
