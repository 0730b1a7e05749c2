/** `{name}` templates expanded over the manifest's variables (cartesian product, in declaration order). */

export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
}

/** Every concrete value set for the template's placeholders; throws naming a placeholder without values. */
export function expandTemplate(template: string, variables: Record<string, string[]>, fixed: Record<string, string> = {}): { text: string; values: Record<string, string> }[] {
  const names = templatePlaceholders(template).filter((n) => !(n in fixed));
  for (const n of names) {
    if (!variables[n]?.length) throw new Error(`"${template}" uses {${n}}, but the manifest's "variables" has no "${n}" list`);
  }
  let combos: Record<string, string>[] = [{ ...fixed }];
  for (const n of names) combos = combos.flatMap((c) => variables[n]!.map((v) => ({ ...c, [n]: v })));
  return combos.map((values) => ({ text: fill(template, values), values }));
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, n: string) => values[n] ?? m);
}
