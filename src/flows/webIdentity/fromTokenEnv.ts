import { usageError } from '../../core/errors.js';
import type { CiName } from './ciName.js';
import type { TokenSource, TokenSourceDeps } from './tokenSource.js';

/** A token a CI placed in an environment variable (GitLab id_tokens, CircleCI, Bitbucket). */
export function fromTokenEnv(names: string[], deps: TokenSourceDeps, ci?: CiName, hint?: string): TokenSource {
  return {
    description: `the environment variable ${names.join(' or ')}`,
    ci,
    audienceIsRequested: false,
    async getToken() {
      for (const name of names) {
        const value = deps.env[name];
        if (value && value.trim()) return value;
      }
      throw usageError(
        'TOKEN_ENV_MISSING',
        `No token in ${names.length > 1 ? 'any of the environment variables ' : 'the environment variable '}${names.join(', ')}.`,
        { hint: hint ?? 'Set the variable, or pass the token another way (--token-file, --token-stdin).' },
      );
    },
  };
}
