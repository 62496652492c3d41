#!/usr/bin/env node
// Finds the Chromium (or Chrome) that the e2e tests and the benchmarks drive, in this order:
//   1. CHROMIUM_PATH from the environment,
//   2. CHROMIUM_PATH from `.env.local`, then `.env`, at the project root,
//   3. Playwright's own Chromium (`npx playwright install chromium`), if it is installed,
//   4. a system Chromium or Chrome in the usual places on Linux, macOS and Windows.
// When none exists it throws a BrowserNotFoundError that says what to run.
//
//   node scripts/findBrowser.mjs      prints the path, or the advice and exits 1
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Files read for CHROMIUM_PATH when the environment does not set it, first match wins. */
export const ENV_FILES = ['.env.local', '.env'];

export class BrowserNotFoundError extends Error {
  name = 'BrowserNotFoundError';
}

/**
 * Reads `KEY=value` lines (optional `export `, `#` comments, single or double
 * quotes around the value; no escapes, so Windows paths stay as written).
 * @returns the variables, later lines winning.
 */
export function parseEnvFile(text) {
  const vars = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    vars[m[1]] = value;
  }
  return vars;
}

/** Usual install places of Chromium and Chrome, per `process.platform`. */
export function systemCandidates(platform, env = {}) {
  if (platform === 'darwin') {
    const apps = [
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ];
    const dirs = ['/Applications', ...(env.HOME ? [`${env.HOME}/Applications`] : [])];
    return dirs.flatMap((d) => apps.map((a) => `${d}/${a}`));
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'].filter(
      Boolean,
    );
    const exes = ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe'];
    return roots.flatMap((r) => exes.map((e) => win32.join(r, e)));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ];
}

/** What to run on this platform when no browser was found. */
export function installAdvice(platform) {
  const lines = ['Either:', '  npx playwright install chromium           (any OS: Playwright downloads its own Chromium)'];
  if (platform === 'linux') lines.push('  sudo apt-get install chromium             (Debian/Ubuntu; dnf install chromium on Fedora)');
  if (platform === 'darwin') lines.push('  brew install --cask chromium              (or install Google Chrome)');
  if (platform === 'win32') lines.push('  winget install Google.Chrome              (or install Chromium)');
  lines.push(
    'or point at a browser binary you have:',
    '  CHROMIUM_PATH=/path/to/chrome npm test                                    (macOS, Linux shells)',
    "  $env:CHROMIUM_PATH='C:\\path\\to\\chrome.exe'; npm test                     (PowerShell)",
    '  set "CHROMIUM_PATH=C:\\path\\to\\chrome.exe" && npm test                     (cmd.exe)',
    '  or a line CHROMIUM_PATH=/path/to/chrome in .env.local at the project root (any shell)',
  );
  return lines.join('\n');
}

/**
 * Finds the browser binary; every outside fact comes through `deps`, so the
 * order can be tested.
 * @param deps.env process environment (CHROMIUM_PATH, HOME, LOCALAPPDATA, PROGRAMFILES…)
 * @param deps.platform `process.platform`
 * @param deps.exists does this file exist?
 * @param deps.readEnvFile text of `.env.local` / `.env` by name, or null when absent
 * @param deps.playwrightChromium path where Playwright's own Chromium would be, or null
 * @returns `{ path, source }`, source saying which rule found it
 * @throws BrowserNotFoundError with install advice; also when CHROMIUM_PATH names a missing file
 */
export function findBrowser({ env, platform, exists, readEnvFile, playwrightChromium }) {
  const explicit = (path, source) => {
    if (exists(path)) return { path, source };
    throw new BrowserNotFoundError(
      `CHROMIUM_PATH (from ${source}) is ${path}, which does not exist. Correct or remove it.\n${installAdvice(platform)}`,
    );
  };
  if (env.CHROMIUM_PATH?.trim()) return explicit(env.CHROMIUM_PATH.trim(), 'the environment');
  for (const file of ENV_FILES) {
    const text = readEnvFile(file);
    const value = text === null ? undefined : parseEnvFile(text).CHROMIUM_PATH;
    if (value) return explicit(value, file);
  }
  const bundled = playwrightChromium();
  if (bundled && exists(bundled)) return { path: bundled, source: 'Playwright' };
  const tried = systemCandidates(platform, env);
  const found = tried.find((p) => exists(p));
  if (found) return { path: found, source: 'system' };
  throw new BrowserNotFoundError(
    `No Chromium or Chrome found for the end-to-end tests and benchmarks.\n${installAdvice(platform)}\n\nLooked at: CHROMIUM_PATH, ${ENV_FILES.join(', ')}, ${bundled ?? "Playwright's Chromium"}, ${tried.join(', ')}`,
  );
}

/** Where `npx playwright install chromium` puts Chromium (the file may not exist), or null without Playwright. */
function playwrightChromium() {
  try {
    return createRequire(import.meta.url)('@playwright/test').chromium.executablePath() || null;
  } catch {
    return null;
  }
}

/** findBrowser() on this machine; throws BrowserNotFoundError with advice. */
export function browserPath() {
  return findBrowser({
    env: process.env,
    platform: process.platform,
    exists: existsSync,
    readEnvFile: (name) => {
      try {
        return readFileSync(join(projectRoot, name), 'utf8');
      } catch {
        return null;
      }
    },
    playwrightChromium,
  }).path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(browserPath());
  } catch (e) {
    console.error(e instanceof BrowserNotFoundError ? e.message : e);
    process.exit(1);
  }
}
