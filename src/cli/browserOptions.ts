/**
 * The one definition of the browser choice flags, shared by every command that opens a page in the
 * person's browser (console, oidc, saml, and sso's sign-in): `--browser` and `--browser-profile`.
 * What they mean is src/core/browserLaunch.ts (opening a page) and src/flows/saml/browserLogin.ts
 * (driving a Chromium-family browser for SAML).
 */
import { type Command, Option } from 'commander';
import { ANY_BROWSER_NAMES, BROWSER_NAMES } from '../core/findBrowser.js';

/** Who uses the browser: `opens` a page in it (console, OIDC, SSO), or `drives` it (SAML). */
export type BrowserUse = 'opens' | 'drives';

/** The flags' values as commander hands them over. */
export interface BrowserFlags {
  browser?: string | undefined;
  browserProfile?: string | undefined;
}

export function browserOption(use: BrowserUse = 'opens'): Option {
  return use === 'opens'
    ? new Option(
        '--browser <name|path>',
        `browser to open: ${ANY_BROWSER_NAMES.join('|')} or a path (default: $BROWSER, else the system default)`,
      )
    : new Option(
        '--browser <name|path>',
        `browser to drive: ${BROWSER_NAMES.join('|')} or a path (default: the first found)`,
      );
}

export function browserProfileOption(): Option {
  return new Option(
    '--browser-profile <name|path>',
    'an existing profile of that browser, by name (Chromium "Profile 1", Firefox "work") or folder path',
  );
}

/** Adds --browser and --browser-profile to a command. */
export function addBrowserOptions(command: Command, use: BrowserUse = 'opens'): Command {
  return command.addOption(browserOption(use)).addOption(browserProfileOption());
}
