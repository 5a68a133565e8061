import { type Check, fail, ok } from './check.js';

/** The credentials file holds secrets: group or other may not read it. Pure (mode from stat, or undefined when missing). */
export function credentialsPermissionsCheck(
  file: string,
  mode: number | undefined,
  platform: NodeJS.Platform = process.platform,
): Check {
  if (mode === undefined) return ok('credentials-permissions', `${file} does not exist (nothing to protect).`);
  if (platform === 'win32') return ok('credentials-permissions', `${file}: permissions are not checked on Windows.`);
  const bits = (mode & 0o777).toString(8).padStart(3, '0');
  if ((mode & 0o077) !== 0) {
    return fail(
      'credentials-permissions',
      `${file} is readable or writable by group or others (mode ${bits}); it holds credentials.`,
      `chmod 600 ${file}`,
    );
  }
  return ok('credentials-permissions', `${file} is private (mode ${bits}).`);
}
