/** Legacy → new name resolution for table and path mappings. Imports manifest types and scan types only. */
export { MappingResolver, compileMapping, comparePrecedence, type Resolution, type CompiledMapping, type MappingTier } from './resolver';
export { compilePathMatcher, findPathRefs, type PathMatcher, type PathMatch } from './paths';
export { findAmbiguousPairs, intersectGlobs, type AmbiguousPair } from './overlap';
export { parseTemplate, renderTemplate, slotNames, type TemplateToken } from './template';
