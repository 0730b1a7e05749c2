/** Naming conventions per dataset: parse names segment by segment, explain failures, suggest the closest valid name. */
export { NamingChecker, explainName, type NamingVerdict, type SegmentVerdict } from './explain';
export { compileConvention, parseName, PLACEHOLDER_MARK, type CompiledConvention } from './convention';
export { editDistance, closest } from './distance';
