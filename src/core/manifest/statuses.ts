/**
 * A mapping's status, in lifecycle order: planned → migrated (the new table is built) → shimmed
 * (the legacy name is a view over it) → archived (the shim is gone, the archive copy stays) → dropped.
 * Imports nothing, so the webview's protocol module can share the list with the manifest schema.
 */
export const MAPPING_STATUSES = ['planned', 'migrated', 'shimmed', 'archived', 'dropped'] as const;
export type MappingStatusName = (typeof MAPPING_STATUSES)[number];
