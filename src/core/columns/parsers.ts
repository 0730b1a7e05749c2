/**
 * The SQL and Python parsers, loaded on first use: evaluating the BigQuery grammar costs a noticeable
 * part of a second at start-up, and most runs (every one without column mappings) never parse.
 */
import type * as SqlParserCst from 'sql-parser-cst';
import type * as LezerPython from '@lezer/python';

let sql: typeof SqlParserCst | undefined;
let python: typeof LezerPython | undefined;

export const sqlParser = (): typeof SqlParserCst => (sql ??= require('sql-parser-cst') as typeof SqlParserCst);
export const pythonParser = (): typeof LezerPython.parser => (python ??= require('@lezer/python') as typeof LezerPython).parser;
