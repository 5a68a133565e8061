import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { usageError } from './errors.js';

/**
 * Input whose size is checked before it is read. A file named on the command line can be 300 MB,
 * /dev/zero, or a FIFO nobody closes; stdin can be an endless pipe. Reading it all first costs
 * seconds and hundreds of MB before any length check runs, so: a regular file is refused by its
 * size without being read; anything else (stdin, a FIFO, a device) is read through a stream that
 * stops after limit + 1 bytes. The error names the real size (files) or "more than" the limit.
 */
export interface CappedInput {
  /** a path, or '-' for `stdin` */
  file: string;
  /** the most bytes accepted */
  limit: number;
  /** e.g. "The SAML response in F" */
  subject: string;
  /** e.g. "a SAMLResponse is at most 100,000 characters (STS's limit)" */
  why: string;
  hint: string;
  stdin?: NodeJS.ReadableStream;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Reads a stream until its end or until it has given more than `limit` bytes, whichever comes first;
 * then stops reading (the stream is destroyed, so a pipe's writer gets EPIPE). Returns the bytes
 * read (at most limit + 1) and whether the end was reached.
 */
export async function readStreamCapped(
  stream: NodeJS.ReadableStream,
  limit: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    length += buffer.length;
    if (length > limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return { bytes: Buffer.concat(chunks).subarray(0, limit + 1), complete: false };
    }
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}

/** The input as UTF-8 text, or a usage error (INPUT_TOO_LARGE) before more than limit + 1 bytes are read. */
export async function readTextCapped(input: CappedInput): Promise<string> {
  const { limit } = input;
  const tooLarge = (size: string) =>
    usageError('INPUT_TOO_LARGE', `${input.subject} is ${size}; ${input.why}, so fedlogin does not read it.`, {
      hint: input.hint,
    });
  let stream: NodeJS.ReadableStream;
  if (input.file === '-') {
    stream = input.stdin ?? process.stdin;
  } else {
    const info = await stat(input.file);
    if (info.isDirectory()) throw Object.assign(new Error(`${input.file} is a directory`), { code: 'EISDIR' });
    if (info.isFile() && info.size > limit) throw tooLarge(`${count(info.size)} bytes`);
    // `end` is inclusive: at most limit + 1 bytes even from a device, a FIFO or a file that grows
    stream = createReadStream(input.file, { end: limit, highWaterMark: Math.min(64 * 1024, limit + 1) });
  }
  const { bytes, complete } = await readStreamCapped(stream, limit);
  if (!complete || bytes.length > limit) throw tooLarge(`more than ${count(limit)} bytes`);
  return bytes.toString('utf8');
}

/** The most bytes read for a token: far above any JWT STS takes (20,000 characters), far below harm. */
export const MAX_TOKEN_INPUT_BYTES = 1 << 20;

/** A token file or stdin, its size checked before it is read (readTextCapped). */
export const readTokenInput = (file: string, stdin?: NodeJS.ReadableStream) =>
  readTextCapped({
    file,
    ...(stdin ? { stdin } : {}),
    limit: MAX_TOKEN_INPUT_BYTES,
    subject: `The token in ${file === '-' ? 'standard input' : file}`,
    why: 'a web identity token is a JWT of a few kilobytes',
    hint: 'Point fedlogin at the file (or pipe) holding only the token.',
  });
