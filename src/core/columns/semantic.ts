/**
 * Manifest checks of column mappings that zod cannot express: a canonical column that collides with
 * another mapping's column on the same table, a column consolidated twice, a rename that renames
 * nothing, and a `table` no table mapping or dataset knows. Problems come back by JSON path; the
 * loader turns them into line:column.
 */
import type { SemanticProblem } from '../manifest/semantic';
import { columnSources } from '../manifest/mapping-kinds';
import type { ColumnMapping, Manifest } from '../manifest/schema';
import type { MappingResolver } from '../match/resolver';
import { followTableMapping } from './catalog';

const fold = (name: string) => {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot).toLowerCase() + name.slice(dot);
};

export function checkColumnMappings(m: Manifest, resolver: MappingResolver): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  // Mappings on a legacy table and on the table it is mapped to describe one table: they are checked together.
  const byTable = new Map<string, { index: number; mapping: ColumnMapping }[]>();
  m.mappings.forEach((mapping, index) => {
    if (mapping.kind !== 'column') return;
    const key = fold(followTableMapping(m, resolver, mapping.table) ?? mapping.table);
    const list = byTable.get(key) ?? [];
    list.push({ index, mapping });
    byTable.set(key, list);
    const sources = columnSources(mapping);
    if (sources.length === 1 && sources[0]!.toLowerCase() === mapping.to.toLowerCase()) {
      problems.push({ path: ['mappings', index, 'to'], severity: 'warning', message: '"to" is the same column as "from": this mapping renames nothing' });
    }
  });

  for (const entries of byTable.values()) {
    // Lower-cased column → the first mapping that produces it (`to`) or renames it away (a source other than its own `to`).
    const produced = new Map<string, number>();
    const consumed = new Map<string, number>();
    for (const { index, mapping } of entries) {
      const to = mapping.to.toLowerCase();
      const clash = produced.get(to);
      if (clash !== undefined) {
        problems.push({
          path: ['mappings', index, 'to'],
          severity: 'error',
          message: `"to" column "${mapping.to}" collides with mappings[${clash}] ({A}), which also writes "${mapping.to}" on this table`,
          hint: 'list every source column in one mapping with "combine", or give one of them another name',
          related: [['mappings', clash, 'to']],
        });
      } else produced.set(to, index);
      columnSources(mapping).forEach((source, si) => {
        const key = source.toLowerCase();
        const seen = consumed.get(key);
        const fromPath = typeof mapping.from === 'string' ? ['mappings', index, 'from'] : ['mappings', index, 'from', si];
        if (seen !== undefined) {
          problems.push({
            path: fromPath,
            severity: 'error',
            message: `column "${source}" is already mapped by mappings[${seen}] ({A})`,
            hint: 'a legacy column goes to one canonical column: remove it from one of the mappings',
            related: [['mappings', seen, 'from']],
          });
        } else if (key !== to) consumed.set(key, index);
      });
    }
    // A canonical name that another mapping renames away would be renamed again by the next fix (a chain or a swap).
    for (const { index, mapping } of entries) {
      const other = consumed.get(mapping.to.toLowerCase());
      if (other === undefined || other === index) continue;
      problems.push({
        path: ['mappings', index, 'to'],
        severity: 'error',
        message: `"to" column "${mapping.to}" collides with a column that mappings[${other}] ({A}) renames to "${(entries.find((e) => e.index === other)!.mapping).to}": chained or swapped column renames are not supported`,
        hint: `map the legacy columns straight to their final name`,
        related: [['mappings', other, 'from']],
      });
    }
  }
  return problems;
}
