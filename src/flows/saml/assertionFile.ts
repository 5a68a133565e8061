import { isFedloginError, usageError } from '../../core/errors.js';
import { readTextCapped } from '../../core/readCapped.js';
import type { AssertionSource } from './login.js';
import { MAX_ASSERTION_LENGTH } from './parseAssertion.js';

/**
 * The most input read, in bytes: STS's limit on the base64 text, with room for line breaks and for
 * a URL-encoded form body (`+`, `/` and `=` become three characters each). STS's own limit is
 * checked on the decoded text (decodeBase64Xml); this one keeps a huge file, /dev/zero or an
 * endless pipe from being read at all.
 */
export const MAX_ASSERTION_INPUT_BYTES = MAX_ASSERTION_LENGTH * 4;

/**
 * `--assertion-file F|-`: a base64 SAMLResponse from a file or stdin, read once, its size checked
 * first (readTextCapped). A form body (`SAMLResponse=...&RelayState=...`), as copied from the
 * browser's developer tools, works too.
 */
export function assertionFileSource(file: string, stdin: NodeJS.ReadableStream = process.stdin): AssertionSource {
  const description = file === '-' ? 'standard input' : file;
  return {
    description,
    renewable: false,
    async get() {
      let text: string;
      try {
        text = await readTextCapped({
          file,
          stdin,
          limit: MAX_ASSERTION_INPUT_BYTES,
          subject: `The SAML response in ${description}`,
          why: `a SAMLResponse is at most ${MAX_ASSERTION_LENGTH.toLocaleString('en-US')} characters (STS's limit)`,
          hint: 'Pass only the base64 SAMLResponse value, or the form body of the POST to signin.aws.amazon.com/saml.',
        });
      } catch (error) {
        if (isFedloginError(error)) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        throw usageError(
          'ASSERTION_FILE_UNREADABLE',
          `Cannot read the SAML response from ${description} (${code ?? String(error)}).`,
          { cause: error },
        );
      }
      text = text.trim();
      const form = /^SAMLResponse=/.test(text) ? new URLSearchParams(text).get('SAMLResponse') : undefined;
      return { samlResponse: form ?? text };
    },
  };
}
