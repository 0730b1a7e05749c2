/** Lint output formats: stylish (people), json (ESLint's shape, for tools), sarif (code scanning). */
export { formatStylish, formatStylishFile, formatStylishSummary } from './stylish';
export { formatJson, toEslintResults, toEslintResult, type EslintResult, type EslintMessage } from './json';
export { formatSarif, toSarif } from './sarif';
export { formatUnscanned } from './unscanned';
export { countViolations, emptyCounts, type LintReport, type Counts } from './report';
export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];
