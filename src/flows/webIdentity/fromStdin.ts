import { usageError } from '../../core/errors.js';
import type { TokenSource, TokenSourceDeps } from './tokenSource.js';

/** A token piped in by a script: `get-token | fedlogin web-identity --token-stdin ...`. */
export function fromStdin(deps: TokenSourceDeps): TokenSource {
  let cached: string | undefined;
  return {
    description: 'standard input',
    audienceIsRequested: false,
    async getToken() {
      cached ??= await deps.readStdin();
      if (!cached.trim())
        throw usageError('TOKEN_STDIN_EMPTY', 'No token arrived on standard input.', {
          hint: 'Pipe the token in: get-token | fedlogin web-identity --token-stdin ...',
        });
      return cached;
    },
  };
}
