/** Linting: one text (`createLinter().lintText`) or many files on a worker pool (`lintFiles`). */
export { createLinter, knownDatasetsOf, type Linter, type LinterOptions, type LintResult } from './linter';
export { lintFiles, lintFileList, lintFilesAsEslintJson, type LintFilesOptions, type EslintJsonFileResult } from './pool';
export { toEslintResult, type EslintResult, type EslintMessage } from './eslint-json';
export { lintFile, positionsOf, type FileLintResult, type ResolvedReference, type ViolationPosition } from './file-lint';
export { readSourceFile, decodeSource, DEFAULT_MAX_FILE_BYTES, type SourceFile } from './read';
export { createIncludeMatcher } from './globs';
export { walkFiles } from './walk';
