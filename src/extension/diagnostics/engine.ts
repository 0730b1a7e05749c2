/**
 * The one place the extension reaches into the core engine: builds a Linter for the
 * manifest in use with the settings' rule overrides and extra excludes, and says
 * which files are linted at all. Everything else in src/extension goes through it.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { createLinter, type Linter, type LintResult } from '../../core/index';
import { languageFor } from '../../core/scan/index';
import type { LoadedManifest } from '../../core/manifest/load';
import type { Settings } from '../settings';

/** Folders never worth scanning, whatever the manifest's globs say: dependencies, build output, version control, bqmigrate's state. */
export const ALWAYS_EXCLUDED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', '.bqmigrate', '.venv', '__pycache__', 'out', 'dist']);

export class Engine {
  readonly linter: Linter;
  /** The settings' rule overrides (the workspace scan's workers and cache key use them too). */
  readonly rules: Settings['rules'];
  private readonly excluded: (relative: string) => boolean;
  private readonly manifestFile: string;
  private readonly rootPrefix: string;

  constructor(
    readonly loaded: LoadedManifest,
    settings: Settings,
  ) {
    this.rules = settings.rules;
    this.linter = createLinter(loaded, { rules: settings.rules });
    const extra = settings.lint.exclude;
    this.excluded = extra.length > 0 ? picomatch(extra, { dot: true }) : () => false;
    this.manifestFile = path.resolve(loaded.file);
    const root = path.resolve(loaded.root);
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  get root(): string {
    return this.loaded.root;
  }

  /** True when the file is linted: a known language, inside the manifest's globs, not excluded by the settings, not the manifest itself. */
  wants(filePath: string, languageId?: string): boolean {
    const abs = path.resolve(filePath);
    if (abs === path.resolve(this.loaded.file)) return false;
    if (languageFor(abs, languageId) === undefined) return false;
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    if (this.excluded(rel.split(path.sep).join('/'))) return false;
    return this.linter.isIncluded(abs);
  }

  /**
   * `wants` for a file the core's walk of the manifest's folder yielded (workspace-files.ts): the walk
   * already matched it to the globs and to a known language, so only the manifest itself and the
   * settings' excludes are left to check.
   */
  wantsFound(file: string): boolean {
    if (file === this.manifestFile) return false;
    const rel = file.startsWith(this.rootPrefix) ? file.slice(this.rootPrefix.length) : path.relative(this.root, file);
    return !this.excluded(path.sep === '/' ? rel : rel.split(path.sep).join('/'));
  }

  lint(text: string, filePath: string, languageId?: string): LintResult {
    return this.linter.lintText(text, filePath, languageId);
  }

  /** `lint` of a new version of a text, from the lint of the previous one (consumed: see Linter.lintEdit). */
  lintEdit(previous: { text: string; result: LintResult }, text: string, filePath: string, languageId?: string): LintResult {
    return this.linter.lintEdit(previous, text, filePath, languageId);
  }
}
