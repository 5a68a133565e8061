import { isFedloginError, usageError } from '../../core/errors.js';
import type { CiName } from './ciName.js';
import type { TokenSource, TokenSourceDeps } from './tokenSource.js';

/** A token file and where its path came from (`--token-file`, `fedlogin_token_file in profile dev`). */
export interface TokenFile {
  path: string;
  origin: string;
}

/** A token in a file, re-read on every call because Kubernetes and others rotate it. */
export function fromTokenFile({ path, origin }: TokenFile, deps: TokenSourceDeps, ci?: CiName): TokenSource {
  const hint =
    ci === 'kubernetes'
      ? "Check the pod's service account token projection (AWS_WEB_IDENTITY_TOKEN_FILE)."
      : `Check the path given to ${origin} and that this user may read it.`;
  return {
    description: `the token file ${path}`,
    ci,
    audienceIsRequested: false,
    async getToken() {
      let token: string;
      try {
        token = await deps.readFile(path);
      } catch (error) {
        if (isFedloginError(error)) throw error; // too large: already says so
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        throw usageError('TOKEN_FILE_UNREADABLE', `Cannot read the token file ${path} (${reason}).`, {
          hint,
          cause: error,
        });
      }
      // an empty file is what a writer caught mid-rotation, or a failed token request, leaves
      if (token.trim() === '') {
        throw usageError('TOKEN_FILE_EMPTY', `The token file ${path} (from ${origin}) is empty.`, {
          hint: ci === 'kubernetes' ? hint : `Check what writes the token to it, or the path given to ${origin}.`,
        });
      }
      return token;
    },
  };
}
