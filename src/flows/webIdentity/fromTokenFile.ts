import { isFedloginError, usageError } from '../../core/errors.js';
import type { CiName } from './ciName.js';
import type { TokenSource, TokenSourceDeps } from './tokenSource.js';

/** A token in a file, re-read on every call because Kubernetes and others rotate it. */
export function fromTokenFile(path: string, deps: TokenSourceDeps, ci?: CiName): TokenSource {
  return {
    description: `the token file ${path}`,
    ci,
    audienceIsRequested: false,
    async getToken() {
      try {
        return await deps.readFile(path);
      } catch (error) {
        if (isFedloginError(error)) throw error; // too large: already says so
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        throw usageError('TOKEN_FILE_UNREADABLE', `Cannot read the token file ${path} (${reason}).`, {
          hint:
            ci === 'kubernetes'
              ? "Check the pod's service account token projection (AWS_WEB_IDENTITY_TOKEN_FILE)."
              : 'Check the path given to --token-file and that this user may read it.',
          cause: error,
        });
      }
    },
  };
}
