/** A rule's severity, as the manifest's `rules`, `--rule` and the editor's settings write it. Imports nothing (the schema, zod, is not needed to check a `--rule`). */
export const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;
