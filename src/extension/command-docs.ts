/**
 * The commands table of docs/extension.md, generated from package.json `contributes` (which a host
 * test keeps equal to the command registry): `node --import tsx scripts/gen-command-docs.ts`.
 * Free of vscode, so a unit test checks the document against it.
 */

interface PackageCommands {
  contributes: { commands: { command: string; title: string }[]; menus: { commandPalette: { command: string; when?: string }[] } };
}

/** Each when-clause term in words; a term not listed here fails the docs test, so the table never shows raw clauses. */
const WHEN_WORDS: Record<string, string> = {
  'bqmigrate.hasManifest': 'a manifest',
  '!bqmigrate.hasManifest': 'no manifest',
  isWorkspaceTrusted: '**trusted workspace only**',
  editorIsOpen: 'a file editor',
  'workspaceFolderCount > 0': 'a folder open',
  'bqmigrate.mappingsFiltered': 'the Mappings view filtered',
};

export function whenInWords(when: string | undefined): string {
  if (when === undefined || when === '') return 'always';
  if (when === 'false') return 'hidden: Mappings view item or internal';
  const order = Object.keys(WHEN_WORDS);
  const terms = when.split('&&').map((t) => t.trim());
  for (const t of terms) if (!order.includes(t)) throw new Error(`when-clause term "${t}" has no wording in src/extension/command-docs.ts WHEN_WORDS`);
  return terms
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((t) => WHEN_WORDS[t]!)
    .join(', ');
}

export function commandTableMarkdown(pkg: PackageCommands): string {
  const when = new Map(pkg.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
  const rows = pkg.contributes.commands.map((c) => `| ${c.title} | \`${c.command}\` | ${whenInWords(when.get(c.command))} |`);
  return ['| command | id | in the palette with |', '|---------|----|---------------------|', ...rows, ''].join('\n');
}
