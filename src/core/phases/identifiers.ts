/**
 * Identifier checks for everything the phases put into SQL. Names are validated
 * here and then always quoted by the warehouse dialect; nothing else reaches SQL.
 */
import { validateIdentifier, type IdentifierKind } from '../warehouse/identifiers';
import type { TableId } from '../warehouse/types';

/** An error message, or undefined when `name` is a safe identifier of that kind (BigQuery's naming rules). */
export function identifierProblem(kind: IdentifierKind, name: string): string | undefined {
  return validateIdentifier(kind, name);
}

/** Throws unless every part of the table id is a safe identifier: the last guard before SQL is built. */
export function assertTableId(id: TableId): TableId {
  const problems = [
    id.project !== undefined ? identifierProblem('project', id.project) : undefined,
    identifierProblem('dataset', id.dataset),
    identifierProblem('table', id.table),
  ].filter(Boolean);
  if (problems.length) throw new Error(`refusing to build SQL: ${problems.join('; ')}`);
  return id;
}

export function parseTableName(name: string): TableId | undefined {
  const parts = name.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { dataset: parts[0], table: parts[1] };
}

export function tableKey(id: TableId): string {
  return `${id.dataset}.${id.table}`;
}
