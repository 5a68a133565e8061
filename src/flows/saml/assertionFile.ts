import { readFile } from 'node:fs/promises';
import { usageError } from '../../core/errors.js';
import type { AssertionSource } from './login.js';
import { MAX_ASSERTION_LENGTH } from './parseAssertion.js';

/** Read at most this much: a little above STS's limit, so an oversized file is reported, not loaded. */
const READ_LIMIT = MAX_ASSERTION_LENGTH * 4;

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.length > READ_LIMIT) break;
  }
  return text;
}

/**
 * `--assertion-file F|-`: a base64 SAMLResponse from a file or stdin, read once. A form body
 * (`SAMLResponse=...&RelayState=...`), as copied from the browser's developer tools, works too.
 */
export function assertionFileSource(file: string, stdin: NodeJS.ReadableStream = process.stdin): AssertionSource {
  const description = file === '-' ? 'standard input' : file;
  return {
    description,
    renewable: false,
    async get() {
      let text: string;
      try {
        text = file === '-' ? await readStdin(stdin) : await readFile(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw usageError('ASSERTION_FILE_UNREADABLE', `Cannot read the SAML response from ${description} (${code ?? String(error)}).`, { cause: error });
      }
      text = text.trim();
      const form = /^SAMLResponse=/.test(text) ? new URLSearchParams(text).get('SAMLResponse') : undefined;
      return { samlResponse: form ?? text };
    },
  };
}
