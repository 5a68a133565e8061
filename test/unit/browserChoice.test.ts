import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signOutFirstUrl } from '../../src/aws/consoleUrls.js';
import { partitionByName } from '../../src/aws/partition.js';
import {
  browserCommand,
  browserOpener,
  checkBrowserProfile,
  chromiumProfile,
  isolatedProfileDir,
  parseBrowserUrl,
} from '../../src/core/browserLaunch.js';
import { defaultUserDataDir, findBrowser } from '../../src/core/findBrowser.js';
import { createLogger } from '../../src/core/logger.js';
import { profileHolder, samlResponseFromOwnBrowser } from '../../src/flows/saml/ownBrowser.js';
import { resolveSamlSettings } from '../../src/flows/saml/resolveSettings.js';

const has =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);
const env = { PATH: '/usr/bin', HOME: '/home/me' };
const linux = (exists: (f: string) => boolean, extra: NodeJS.ProcessEnv = {}) => ({
  env: { ...env, ...extra },
  platform: 'linux' as const,
  exists,
  uid: 1000,
});

describe('the browser and profile to open a page in', () => {
  const all = has('/usr/bin/chromium', '/usr/bin/firefox-esr', '/usr/bin/google-chrome');

  it('names each family, with its profile flags and nothing else before the URL', () => {
    expect(browserCommand({ browser: 'chromium', profile: 'Profile 1' }, linux(all))).toEqual({
      browser: { name: 'chromium', family: 'chromium', executablePath: '/usr/bin/chromium' },
      args: ['--profile-directory=Profile 1'],
      isolatedDir: undefined,
    });
    expect(browserCommand({ browser: 'firefox', profile: 'work' }, linux(all)).args).toEqual(['-P', 'work']);
    expect(browserCommand({ browser: 'firefox', profile: '/p/ff.work' }, linux(all)).args).toEqual([
      '-profile',
      '/p/ff.work',
    ]);
    expect(browserCommand({ browser: 'chrome', profile: '/data/chrome-work/Default' }, linux(all)).args).toEqual([
      '--user-data-dir=/data/chrome-work',
      '--profile-directory=Default',
    ]);
    expect(browserCommand({ browser: '/usr/bin/firefox-esr' }, linux(all)).browser.family).toBe('firefox');
  });

  it('isolates per browser and per AWS profile, and root runs Chromium without its sandbox', () => {
    const isolated = { root: '/d/console', name: 'prod/admin' };
    const chromium = browserCommand({ browser: 'chromium', isolated }, { ...linux(all), uid: 0 });
    expect(chromium.isolatedDir).toMatch(/^\/d\/console\/chromium\/prod_admin-[0-9a-f]{8}$/);
    expect(chromium.args).toEqual([
      `--user-data-dir=${chromium.isolatedDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--no-sandbox',
    ]);
    const firefox = browserCommand({ browser: 'firefox', isolated: { root: '/d/console', name: 'dev' } }, linux(all));
    expect(firefox).toMatchObject({
      isolatedDir: '/d/console/firefox/dev',
      args: ['-profile', '/d/console/firefox/dev'],
    });
    // two names that make the same safe name never share a folder
    const found = findBrowser({ platform: 'linux', env, exists: all, requested: 'chromium' });
    expect(isolatedProfileDir('/r', found, 'a b')).not.toBe(isolatedProfileDir('/r', found, 'a_b'));
    expect(isolatedProfileDir('/r', found, 'a_b')).toBe('/r/chromium/a_b');
    expect(isolatedProfileDir('/r', found, '..')).toMatch(/^\/r\/chromium\/_-[0-9a-f]{8}$/);
  });

  it('without --browser, a profile goes to $BROWSER when it names one, else the first found', () => {
    expect(browserCommand({ profile: 'w' }, linux(all, { BROWSER: 'firefox-esr' })).browser.executablePath).toBe(
      '/usr/bin/firefox-esr',
    );
    expect(browserCommand({ profile: 'w' }, linux(all)).browser.name).toBe('chrome');
    // a launcher is no browser to give a profile to
    const launcher = has('/usr/bin/xdg-open', '/usr/bin/chromium');
    expect(browserCommand({ profile: 'w' }, linux(launcher, { BROWSER: 'xdg-open' })).browser.name).toBe('chromium');
    expect(browserCommand({ profile: 'w' }, linux(has('/usr/bin/firefox-esr'))).browser.name).toBe('firefox');
  });

  it('nothing chosen leaves the system default; a bad choice fails before anything opens', () => {
    expect(browserOpener({}, { env: {} }).description).toBe('the default browser');
    expect(browserOpener({}, { env: { BROWSER: 'lynx' } }).description).toBe('$BROWSER');
    expect(() => browserCommand({ browser: 'netscape' }, linux(all))).toThrow(
      '--browser "netscape" is neither a path nor one of chrome, chromium, edge, brave, firefox.',
    );
    expect(() => browserCommand({ browser: 'edge' }, linux(all))).toThrow('edge is not installed');
    expect(() => browserCommand({ profile: 'x', isolated: { root: '/r', name: 'p' } }, linux(all))).toThrow(
      'Give --isolated or --browser-profile, not both.',
    );
  });

  it('a profile is a name or an absolute path, never a flag or a relative path', () => {
    expect(checkBrowserProfile(' Profile 1 ')).toBe('Profile 1');
    expect(checkBrowserProfile('/abs/Default')).toBe('/abs/Default');
    expect(checkBrowserProfile('C:\\Users\\me\\Chrome\\Default')).toBe('C:\\Users\\me\\Chrome\\Default');
    for (const bad of ['', '--remote-debugging-port=1', 'a/b', '..', 'x\ny'])
      expect(() => checkBrowserProfile(bad), bad).toThrow(/--browser-profile/);
  });

  it('knows where each Chromium keeps its profiles', () => {
    const chrome = findBrowser({ platform: 'linux', env, exists: all, requested: 'chrome' });
    expect(chromiumProfile(chrome, 'Profile 2', 'linux', env)).toEqual({
      userDataDir: '/home/me/.config/google-chrome',
      profileDirectory: 'Profile 2',
    });
    expect(defaultUserDataDir('chromium', 'linux', { ...env, XDG_CONFIG_HOME: '/x' })).toBe('/x/chromium');
    expect(defaultUserDataDir('brave', 'darwin', env)).toBe(
      '/home/me/Library/Application Support/BraveSoftware/Brave-Browser',
    );
    expect(defaultUserDataDir('edge', 'win32', { LOCALAPPDATA: 'C:\\L' })).toBe('C:\\L\\Microsoft\\Edge\\User Data');
  });
});

describe('--browser-url', () => {
  it('takes a debugging address on this machine only', () => {
    expect(parseBrowserUrl('http://127.0.0.1:9222/')).toBe('http://127.0.0.1:9222');
    expect(parseBrowserUrl('ws://localhost:9222/devtools/browser/ab-cd')).toBe(
      'ws://localhost:9222/devtools/browser/ab-cd',
    );
    expect(parseBrowserUrl('http://[::1]:9222')).toBe('http://[::1]:9222');
    expect(() => parseBrowserUrl('http://10.0.0.5:9222')).toThrow('on this machine');
    expect(() => parseBrowserUrl('file:///tmp/x')).toThrow('on this machine');
    expect(() => parseBrowserUrl('9222')).toThrow('is not a URL');
  });

  it('excludes a browser fedlogin would start, and --headless', () => {
    const base = { idpUrl: 'https://idp.example.com/sso', browserUrl: 'http://127.0.0.1:9222' };
    expect(resolveSamlSettings(base, undefined).browserUrl).toBe('http://127.0.0.1:9222');
    expect(() => resolveSamlSettings({ ...base, browserProfile: 'Default' }, undefined)).toThrow('--browser-url');
    expect(() => resolveSamlSettings({ ...base, browser: 'chrome' }, undefined)).toThrow('--browser-url');
    expect(() => resolveSamlSettings({ ...base, headless: true }, undefined)).toThrow('leave out --headless');
  });
});

describe("a Chromium profile folder's lock", () => {
  it('is held by a live process of this host, stale when that process is gone, held from another host', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fedlogin-lock-'));
    try {
      expect(profileHolder(dir)).toBeUndefined();
      await symlink(`${hostname()}-${process.pid}`, path.join(dir, 'SingletonLock'));
      expect(profileHolder(dir)).toEqual({ pid: process.pid, host: hostname() });
      await rm(path.join(dir, 'SingletonLock'));
      await symlink(`${hostname()}-2147483646`, path.join(dir, 'SingletonLock'));
      expect(profileHolder(dir)).toBeUndefined();
      await rm(path.join(dir, 'SingletonLock'));
      await symlink('other-host.example-42', path.join(dir, 'SingletonLock'));
      expect(profileHolder(dir)).toEqual({ pid: 42, host: 'other-host.example' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('signing out of the console first', () => {
  const login = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=fedlogin&SigninToken=tok';
  it("goes through us-east-1's sign-out, which honours redirect_uri towards its own sign-in", () => {
    const url = new URL(signOutFirstUrl(login, partitionByName('aws')!, false)!);
    expect(`${url.origin}${url.pathname}`).toBe('https://us-east-1.signin.aws.amazon.com/oauth');
    expect(url.searchParams.get('Action')).toBe('logout');
    expect(url.searchParams.get('redirect_uri')).toBe(
      'https://us-east-1.signin.aws.amazon.com/federation?Action=login&Issuer=fedlogin&SigninToken=tok',
    );
  });
  it('is left out where the chain is not known to work, and follows FEDLOGIN_SIGNIN_ENDPOINT', () => {
    expect(signOutFirstUrl(login, partitionByName('aws-cn')!, false)).toBeUndefined();
    const local = 'http://127.0.0.1:5000/federation?Action=login&SigninToken=t';
    expect(signOutFirstUrl(local, partitionByName('aws-cn')!, true)).toBe(
      `http://127.0.0.1:5000/oauth?Action=logout&redirect_uri=${encodeURIComponent(local)}`,
    );
  });
});

describe('SAML in your own Google Chrome profile', () => {
  it("refuses Chrome's default profile folder (Chrome 136+ will not be driven there), before any window", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fedlogin-chrome-'));
    try {
      await writeFile(path.join(dir, 'google-chrome'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      let captures = 0;
      const run = (browserProfile: string) =>
        samlResponseFromOwnBrowser(
          {
            idpUrl: 'https://idp.example.com/sso',
            browser: 'chrome',
            browserProfile,
            mode: 'auto',
            timeoutMs: 1000,
            silentTimeoutMs: 1000,
            interactive: true,
            needsPerson: () => new Error('needs a person'),
          },
          {
            env: { PATH: dir, HOME: dir, DISPLAY: ':0' },
            logger: createLogger({ write: () => {} }),
            platform: 'linux',
            capture: async () => {
              captures++;
              return { kind: 'timeout' };
            },
          },
        );
      await expect(run('Default')).rejects.toMatchObject({ code: 'BROWSER_PROFILE_UNDRIVABLE' });
      expect(captures).toBe(0);
      // a work profile in a folder of its own is fine
      await expect(run(path.join(dir, 'chrome-work', 'Default'))).rejects.toMatchObject({ code: 'SAML_LOGIN_TIMEOUT' });
      expect(captures).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
