/** Lint output formats: stylish (people), json (ESLint's shape, for tools), sarif (code scanning). Each writes as it goes (sink.ts). */
export { formatStylish, formatStylishFile, formatStylishSummary, writeStylish, writeStylishFile } from './stylish';
export { formatJson, writeJson, toEslintResults, toEslintResult, type EslintResult, type EslintMessage } from './json';
export { formatSarif, writeSarif, toSarif, SarifWriter } from './sarif';
export { formatUnscanned } from './unscanned';
export { countViolations, emptyCounts, type LintReport, type Counts } from './report';
export { ChunkedWriter, type TextOut } from './sink';
export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];
