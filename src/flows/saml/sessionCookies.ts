import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { Logger } from '../../core/logger.js';
import { writeFileAtomic } from '../../store/atomicWrite.js';

/**
 * Many IdPs set their session cookie without an expiry unless the person ticks "remember me", and
 * a browser drops such cookies when it closes: every fedlogin run would start signed out, and the
 * silent (headless) renewal could never work. So after each captured sign-in fedlogin keeps the
 * session cookies in the per-IdP profile folder (0600 in the 0700 folder, beside the cookies the
 * browser itself keeps there) and adds them back at the next launch. Chromium's own "continue
 * where you left off" keeps them too, but also reopens the last tabs (an IdP page, the AWS ACS).
 */
export const SESSION_COOKIES_FILE = 'fedlogin-session-cookies.json';

type Cookie = Awaited<ReturnType<BrowserContext['cookies']>>[number];
type CookieToAdd = Parameters<BrowserContext['addCookies']>[0][number];

const SAME_SITE = new Set(['Strict', 'Lax', 'None']);

/** The cookies a browser forgets when it closes (no expiry). Pure. */
export function sessionOnly(cookies: readonly Cookie[]): CookieToAdd[] {
  return cookies
    .filter((c) => c.expires === -1)
    .map(({ name, value, domain, path, httpOnly, secure, sameSite }) => ({
      name,
      value,
      domain,
      path,
      httpOnly,
      secure,
      sameSite,
    }));
}

/** What the file holds, keeping only well-formed cookies (a damaged file restores nothing). Pure. */
export function parseSessionCookies(text: string): CookieToAdd[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = (parsed as { cookies?: unknown })?.cookies;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is CookieToAdd =>
      typeof c === 'object' &&
      c !== null &&
      typeof c.name === 'string' &&
      typeof c.value === 'string' &&
      typeof c.domain === 'string' &&
      c.domain !== '' &&
      typeof c.path === 'string' &&
      (c.sameSite === undefined || SAME_SITE.has(c.sameSite)),
  );
}

/** Adds the session cookies kept by the last sign-in to a freshly launched browser. */
export async function restoreSessionCookies(context: BrowserContext, userDataDir: string, logger: Logger) {
  let text: string;
  try {
    text = readFileSync(join(userDataDir, SESSION_COOKIES_FILE), 'utf8');
  } catch {
    return;
  }
  const cookies = parseSessionCookies(text);
  if (cookies.length === 0) return;
  try {
    await context.addCookies(cookies);
    logger.debug(`restored ${cookies.length} session cookie(s) kept from the last sign-in`);
  } catch (error) {
    logger.debug(`could not restore the kept session cookies: ${String((error as Error)?.message).split('\n')[0]}`);
  }
}

/** Keeps the browser's session cookies after a captured sign-in (or removes a stale file when none). */
export async function keepSessionCookies(context: BrowserContext, userDataDir: string, logger: Logger) {
  const file = join(userDataDir, SESSION_COOKIES_FILE);
  try {
    const cookies = sessionOnly(await context.cookies());
    if (cookies.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    writeFileAtomic(file, `${JSON.stringify({ version: 1, cookies })}\n`, { mode: 0o600, keepMode: false });
    logger.debug(`kept ${cookies.length} session cookie(s) for the next silent renewal`);
  } catch (error) {
    logger.debug(`could not keep the session cookies: ${String((error as Error)?.message).split('\n')[0]}`);
  }
}
