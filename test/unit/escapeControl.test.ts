import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, escapeControlLines, showValue, terminalJson } from '../../src/core/escapeControl.js';
import { describeClaims } from '../../src/core/jwtClaims.js';
import { createLogger } from '../../src/core/logger.js';
import { readStreamCapped } from '../../src/core/readCapped.js';

// every character a terminal or a CI runner may act on
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_BUT_LF =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The reader's way back: \xNN and \u{...} to the characters (for text without backslashes of its own). */
const readBack = (text: string) =>
  text.replace(/\\x([0-9a-f]{2})|\\u\{([0-9a-f]+)\}/g, (_, x?: string, u?: string) =>
    String.fromCodePoint(parseInt((x ?? u)!, 16)),
  );

/** Strings rich in the dangerous characters. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\x1b',
      '\x07',
      '\n',
      '\r',
      '\t',
      '\0',
      '\x7f',
      '\x9b',
      '\x85',
      '\u2028',
      '\u2029',
      '\u202e',
      '\u2066',
      '\u200f',
      '\u061c',
      ':',
      ' ',
      '[',
      ']',
    ),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 60,
});

describe('escapeControl', () => {
  it('escapes the attack of issue 14 into one visible line', () => {
    expect(escapeControl('\x1b[2J\x1b]0;owned\x07\n::error title=x::...')).toBe(
      '\\x1b[2J\\x1b]0;owned\\x07\\x0a::error title=x::...',
    );
    expect(escapeControl('a\u202eb\u2028c\x9bd\x7f')).toBe('a\\u{202e}b\\u{2028}c\\x9bd\\x7f');
  });

  it('property: the output never holds a control character, and reads back to the input', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = escapeControl(text);
        expect(out).not.toMatch(CONTROL);
        if (!text.includes('\\')) expect(readBack(out)).toBe(text);
      }),
    );
  });

  it('property: clean text is unchanged, and escaping twice changes nothing more', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const once = escapeControl(text);
        expect(escapeControl(once)).toBe(once);
        if (!CONTROL.test(text)) expect(once).toBe(text);
      }),
    );
  });

  it('property: escapeControlLines keeps line feeds, escapes the rest, and lets no line start a workflow command', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = escapeControlLines(text);
        expect(out).not.toMatch(CONTROL_BUT_LF);
        expect(out).not.toMatch(/^\s*::/m);
        expect(out.split('\n')).toHaveLength(text.split('\n').length);
      }),
    );
  });

  it('terminalJson parses back to the same value and holds no control character but the layout', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile, { maxKeys: 4 }), (value) => {
        const json = terminalJson(value, 2);
        expect(json).not.toMatch(CONTROL_BUT_LF);
        expect(JSON.parse(json)).toEqual(value);
      }),
    );
  });

  it('showValue shows any claim type on one safe line', () => {
    expect(showValue(['a\nb', 3])).toBe('["a\\nb",3]');
    expect(showValue(42)).toBe('42');
    expect(showValue({ x: '\x1b' })).toBe('{"x":"\\u001b"}');
  });
});

describe('where outside text is printed', () => {
  it('describeClaims escapes every claim, whatever its type', () => {
    const text = describeClaims({
      iss: 'https://i\x1b]8;;x\x07',
      aud: ['a\nb', 'c'],
      sub: '\x1b[2J\n::error::x',
      exp: 'soon\r' as unknown as number,
    });
    expect(text).not.toMatch(CONTROL);
    expect(text).toBe('iss=https://i\\x1b]8;;x\\x07, aud=a\\x0ab c, sub=\\x1b[2J\\x0a::error::x, exp=soon\\x0d');
  });

  it('the logger escapes notices and debug lines (safety net for anything not escaped at its source)', () => {
    const lines: string[] = [];
    const logger = createLogger({ debug: true, write: (line) => lines.push(line) });
    logger.notice('from the IdP: \x1b[31mred\x1b[0m\n::warning::x');
    logger.debug('claim \u202eevil');
    expect(lines).toEqual(['from the IdP: \\x1b[31mred\\x1b[0m\n\\x3a:warning::x', '[debug] claim \\u{202e}evil']);
  });
});

describe('readStreamCapped', () => {
  it('stops after limit + 1 bytes of an endless stream, and reads a short one whole', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 1000;
        this.push(Buffer.alloc(1000, 'A'));
      },
    });
    const capped = await readStreamCapped(endless, 2500);
    expect(capped).toMatchObject({ complete: false });
    expect(capped.bytes.length).toBe(2501);
    expect(pulled).toBeLessThan(100_000); // it stopped asking (highWaterMark read-ahead aside)
    const short = await readStreamCapped(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3);
    expect(short).toEqual({ bytes: Buffer.from('abc'), complete: true });
  });
});
