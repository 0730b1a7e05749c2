/** Fixes: build form-keeping rename edits, then apply them with one overlap-dropping routine. */
export { applyEdits } from './apply';
export { renameTableEdits, renamePathEdits } from './build';
export type { TextEdit, Fix, FixSafety } from './types';
export { writeFileAtomic } from './write';
