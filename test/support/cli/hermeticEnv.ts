import { homeEnv } from './tempHome.js';

/** The only variables taken from the parent. The D-Bus session is left out on purpose, so a test
 * can never touch the developer's real keychain unless it passes DBUS_SESSION_BUS_ADDRESS. */
const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'NODE_V8_COVERAGE'];

/** Fixed for every run: quiet SDK, plain output, and no IMDS probe leaving the machine. */
export const FIXED_ENV: Record<string, string> = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  NO_COLOR: '1',
};

/**
 * The environment a CLI run gets, for a HOME (pure; exported for tests and other spawners): a small
 * allowlist of the parent's environment, the HOME with AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE
 * and XDG_* inside it, no AWS_* or CI variables from the parent, then `overrides` (`undefined`
 * removes a variable).
 */
export function hermeticEnv(
  home: string,
  overrides: Record<string, string | undefined> = {},
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, homeEnv(home), FIXED_ENV);
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
