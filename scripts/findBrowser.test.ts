import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser, parseEnvFile, systemCandidates, type BrowserDeps } from './findBrowser.mjs';

const PW = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

/** A machine described by the files that exist on it and its environment. */
function machine(files: string[], over: Partial<BrowserDeps> = {}, envFiles: Record<string, string> = {}): BrowserDeps {
  const set = new Set(files);
  return {
    env: {},
    platform: 'linux',
    exists: (p) => set.has(p),
    readEnvFile: (name) => envFiles[name] ?? null,
    playwrightChromium: () => PW,
    ...over,
  };
}

describe('findBrowser order', () => {
  it('takes CHROMIUM_PATH from the environment first', () => {
    const deps = machine(
      ['/opt/my/chrome', PW, '/usr/bin/chromium'],
      { env: { CHROMIUM_PATH: '/opt/my/chrome' } },
      { '.env.local': 'CHROMIUM_PATH=/other' },
    );
    expect(findBrowser(deps)).toEqual({ path: '/opt/my/chrome', source: 'the environment' });
  });

  it('then .env.local, then .env', () => {
    const files = ['/a/chrome', '/b/chrome', PW, '/usr/bin/chromium'];
    expect(findBrowser(machine(files, {}, { '.env.local': 'CHROMIUM_PATH=/a/chrome', '.env': 'CHROMIUM_PATH=/b/chrome' }))).toEqual({
      path: '/a/chrome',
      source: '.env.local',
    });
    expect(findBrowser(machine(files, {}, { '.env.local': 'OTHER=1', '.env': 'CHROMIUM_PATH=/b/chrome' }))).toEqual({
      path: '/b/chrome',
      source: '.env',
    });
  });

  it("then Playwright's own Chromium when it is installed", () => {
    expect(findBrowser(machine([PW, '/usr/bin/chromium']))).toEqual({ path: PW, source: 'Playwright' });
  });

  it('skips a Playwright Chromium that was never downloaded, and works without Playwright', () => {
    expect(findBrowser(machine(['/usr/bin/chromium']))).toEqual({ path: '/usr/bin/chromium', source: 'system' });
    expect(findBrowser(machine(['/usr/bin/google-chrome'], { playwrightChromium: () => null })).path).toBe('/usr/bin/google-chrome');
  });

  it('finds Chrome in the usual places on macOS and Windows', () => {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(machine([mac, '/usr/bin/chromium'], { platform: 'darwin' })).path).toBe(mac);
    const win = 'C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    const deps = machine([win], {
      platform: 'win32',
      env: { LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' },
      playwrightChromium: () => null,
    });
    expect(findBrowser(deps)).toEqual({ path: win, source: 'system' });
    expect(systemCandidates('win32', {})).toContain('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('prefers Chromium to Chrome on Linux', () => {
    expect(findBrowser(machine(['/usr/bin/google-chrome', '/usr/bin/chromium-browser'])).path).toBe('/usr/bin/chromium-browser');
  });
});

describe('findBrowser failures', () => {
  it('says what to run when nothing is found', () => {
    const run = () => findBrowser(machine([]));
    expect(run).toThrow(BrowserNotFoundError);
    expect(run).toThrow(/npx playwright install chromium/);
    expect(run).toThrow(/apt-get install chromium/);
    expect(run).toThrow(/\/usr\/bin\/chromium/);
  });

  it('gives the Windows shells their own syntax', () => {
    expect(() => findBrowser(machine([], { platform: 'win32' }))).toThrow(/\$env:CHROMIUM_PATH=.*PowerShell[\s\S]*set "CHROMIUM_PATH=/);
  });

  it('refuses a CHROMIUM_PATH that does not exist instead of silently using another browser', () => {
    expect(() => findBrowser(machine([PW], { env: { CHROMIUM_PATH: '/typo/chrome' } }))).toThrow(
      /CHROMIUM_PATH \(from the environment\) is \/typo\/chrome/,
    );
    expect(() => findBrowser(machine([PW], {}, { '.env': 'CHROMIUM_PATH=/typo' }))).toThrow(/from \.env\)/);
  });
});

describe('parseEnvFile', () => {
  it('reads export, quotes and comments, and keeps backslashes', () => {
    const text = '# browser\nexport CHROMIUM_PATH="C:\\Program Files\\Chrome\\chrome.exe"\r\nA = 1 # note\nB=\'x # y\'\nnot a line\n';
    expect(parseEnvFile(text)).toEqual({ CHROMIUM_PATH: 'C:\\Program Files\\Chrome\\chrome.exe', A: '1', B: 'x # y' });
  });
});
