/**
 * The public API of the bqmigrate core, used by the extension, the phases and
 * the CLI. Never imports `vscode`.
 */
import type { Manifest } from './manifest/schema';
import { explainName as explainNameImpl, type NamingVerdict } from './naming/explain';

export { parseManifest, loadManifestFile, loadManifestOrThrow, findManifest, formatProblem, locate, MANIFEST_FILE, ManifestError, type LoadedManifest, type ManifestProblem, type ManifestLoadResult } from './manifest/load';
export { ManifestSchema, RULE_IDS, type Manifest, type Mapping, type Severity, type MappingStatus } from './manifest/schema';
export { manifestJsonSchema, manifestJsonSchemaText } from './manifest/json-schema';
export { setMappingField, addMappings, type MappingField } from './manifest/edit';
export { importInventory, type InventoryImport } from './manifest/inventory';
export { createLinter, lintFiles, lintFile, readSourceFile, knownDatasetsOf, type Linter, type LinterOptions, type LintResult, type LintFilesOptions, type FileLintResult, type ViolationPosition } from './lint/index';
export { MappingResolver, type Resolution } from './match/index';
export { applyEdits, renameTableEdits, renamePathEdits, writeFileAtomic, type TextEdit, type Fix, type FixSafety } from './fix/index';
export { ruleMetas, ruleMeta, rules } from './rules/index';
export { fixSafetyText } from './rules/docs';
export type { RuleId, RuleMeta, Violation, ActiveSeverity } from './rules/types';
export { NamingChecker, type NamingVerdict, type SegmentVerdict } from './naming/explain';
export type { TableRef, PathRef, NamePart, Span, RefContext, RefForm, LanguageId } from './scan/types';

/** The naming verdict for `dataset.table`, segment by segment. */
export function explainName(manifest: Manifest, name: string): NamingVerdict {
  return explainNameImpl(manifest, name);
}
