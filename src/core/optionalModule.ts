import { usageError } from './errors.js';

/**
 * Loads an optional dependency (the native keychain binding, the browser driver). They are
 * optionalDependencies: an install where one failed still runs every other command, and the one
 * that needs it says what is missing instead of crashing.
 */
export async function loadOptional<T>(load: () => Promise<T>, name: string, purpose: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw usageError(
        'OPTIONAL_MODULE_MISSING',
        `${purpose} needs the package ${name}, which is not installed with this fedlogin.`,
        {
          hint: `Reinstall fedlogin with its optional dependencies (npm install -g fedlogin --include=optional), or install ${name} next to it.`,
          cause: error,
        },
      );
    }
    throw error;
  }
}
