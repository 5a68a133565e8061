import { describe, expect, it } from 'vitest';
import type { FedloginError } from '../../src/core/errors.js';
import { getProfile, parseIniDocument } from '../../src/store/iniDocument.js';
import { removeSection, setKeys, upsertSection } from '../../src/store/iniEdit.js';

const lines = (...l: string[]) => l.join('\n');

describe('upsertSection', () => {
  it('replaces the body of an existing section in place, keeping its header as written and the comment introducing the next one', () => {
    const text = lines(
      '# top',
      '[profile  dev]   ',
      'region = us-east-1',
      '# old comment',
      'output=json',
      '',
      '# prod is production',
      '[profile prod]',
      'region=eu',
      '',
    );
    const out = upsertSection(text, 'config', 'dev', { region: 'eu-west-1', role_arn: 'arn:aws:iam::1:role/r' });
    expect(out).toBe(
      lines(
        '# top',
        '[profile  dev]   ',
        'region = eu-west-1',
        'role_arn = arn:aws:iam::1:role/r',
        '',
        '# prod is production',
        '[profile prod]',
        'region=eu',
        '',
      ),
    );
  });

  it('appends a missing section after one blank line: [profile NAME] in config, [NAME] in credentials', () => {
    expect(upsertSection('[default]\nregion = x\n', 'config', 'dev', [['a', '1']])).toBe(
      '[default]\nregion = x\n\n[profile dev]\na = 1\n',
    );
    expect(upsertSection('[default]\nregion = x\n', 'credentials', 'dev', [['a', '1']])).toBe(
      '[default]\nregion = x\n\n[dev]\na = 1\n',
    );
    expect(upsertSection('', 'config', 'default', [['a', '1']])).toBe('[default]\na = 1\n');
  });

  it('does not add a second blank line, and ends an unterminated last line first', () => {
    expect(upsertSection('[a]\nx = 1\n\n', 'credentials', 'b', { y: '2' })).toBe('[a]\nx = 1\n\n[b]\ny = 2\n');
    expect(upsertSection('[a]\nx = 1', 'credentials', 'b', { y: '2' })).toBe('[a]\nx = 1\n\n[b]\ny = 2\n');
  });

  it('keeps CRLF and the byte order mark, writing new lines with the file’s line ending', () => {
    const text = '\uFEFF[default]\r\nregion = x\r\n';
    expect(upsertSection(text, 'config', 'dev', { a: '1' })).toBe(
      '\uFEFF[default]\r\nregion = x\r\n\r\n[profile dev]\r\na = 1\r\n',
    );
    expect(upsertSection(text, 'config', 'default', { a: '1' })).toBe('\uFEFF[default]\r\na = 1\r\n');
    expect(upsertSection('\uFEFF', 'credentials', 'x', { a: '1' })).toBe('\uFEFF[x]\na = 1\n');
  });

  it('handles a last section without a final newline, and a header that is the last line', () => {
    expect(upsertSection('[a]\nx = 1\n[b]\ny = 2', 'credentials', 'b', { y: '3' })).toBe('[a]\nx = 1\n[b]\ny = 3\n');
    expect(upsertSection('[a]\nx = 1\n[b]', 'credentials', 'b', { y: '3' })).toBe('[a]\nx = 1\n[b]\ny = 3\n');
  });

  it('refuses nested (multi-line) values: the JS and Go SDKs read a continuation line as a key of its own', () => {
    expect(() => upsertSection('', 'config', 'default', { s3: '\nmax_concurrent_requests = 10' })).toThrow(/line feed/);
  });

  it('[default] and [profile default] are the same profile in config; the one in the file is edited', () => {
    expect(upsertSection('[profile default]\na = 1\n', 'config', 'default', { a: '2' })).toBe(
      '[profile default]\na = 2\n',
    );
    // in credentials they are different profiles
    expect(upsertSection('[profile default]\na = 1\n', 'credentials', 'default', { a: '2' })).toBe(
      '[profile default]\na = 1\n\n[default]\na = 2\n',
    );
  });

  it('edits the first of duplicate sections and leaves the others alone', () => {
    const text = lines('[dev]', 'a = 1', '[x]', 'b = 1', '[dev]', 'a = 3', 'c = 3', '');
    expect(upsertSection(text, 'credentials', 'dev', { a: '2' })).toBe(
      lines('[dev]', 'a = 2', '[x]', 'b = 1', '[dev]', 'a = 3', 'c = 3', ''),
    );
  });

  it('indents its lines like an indented next header, which would otherwise read as a continuation', () => {
    const text = lines('[a]', '    x = 1', '  [b]', 'y = 2', '');
    const out = upsertSection(text, 'credentials', 'a', { x: '9', z: '8' });
    expect(out).toBe(lines('[a]', '  x = 9', '  z = 8', '  [b]', 'y = 2', ''));
    expect(parseIniDocument(out).sections.map((s) => s.header)).toEqual(['a', 'b']);
  });

  it('refuses what would not read back the same, naming the key but never the value', () => {
    const attempt = (entries: Record<string, string>, name = 'dev') => {
      try {
        upsertSection('', 'credentials', name, entries);
      } catch (error) {
        return error as FedloginError;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt({ 'bad key': 'v' }).code).toBe('INI_KEY_INVALID');
    expect(attempt({ k: ' padded' }).code).toBe('INI_VALUE_INVALID');
    const comment = attempt({ aws_secret_access_key: 'SECRET #1' });
    expect(comment.code).toBe('INI_VALUE_INVALID');
    expect(comment.message).toContain('aws_secret_access_key');
    expect(comment.message).not.toContain('SECRET');
    expect(attempt({ k: 'a\r\nb' }).code).toBe('INI_VALUE_INVALID');
    expect(attempt({ k: 'a\n' }).code).toBe('INI_VALUE_INVALID');
    expect(attempt({ k: '\n[x]' }).code).toBe('INI_VALUE_INVALID');
    expect(attempt({ k: '' }).code).toBe('INI_VALUE_INVALID');
    for (const c of ['\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029']) {
      expect(attempt({ k: `a${c}b` }).code, JSON.stringify(c)).toBe('INI_VALUE_INVALID');
    }
    expect(attempt({ 'k\u001b': 'v' }).code).toBe('INI_KEY_INVALID');
    for (const name of ['ci$(touch${IFS}pwned)', 'a`b`', 'a|b', 'a&b', 'a;b', "a'b", 'a/b', 'é']) {
      expect(attempt({ k: 'v' }, name).code, name).toBe('PROFILE_NAME_INVALID');
    }
    for (const name of ['__proto__', 'constructor', 'prototype', 'Constructor']) {
      expect(attempt({ k: 'v' }, name).code, name).toBe('PROFILE_NAME_RESERVED');
    }
    expect(attempt({ k: 'v' }, 'has space').code).toBe('PROFILE_NAME_INVALID');
    expect(attempt({ k: 'v' }, 'a]b').code).toBe('PROFILE_NAME_INVALID');
    expect(() =>
      upsertSection('', 'credentials', 'dev', [
        ['k', '1'],
        ['K', '2'],
      ]),
    ).toThrow(/given twice/);
  });

  it('keeps values botocore keeps: "#" and ";" not after a space', () => {
    const out = upsertSection('', 'config', 'dev', { a: 'a#b', b: 'x;y' });
    expect({ ...getProfile(parseIniDocument(out), 'config', 'dev') }).toEqual({ a: 'a#b', b: 'x;y' });
  });
});

describe('setKeys', () => {
  const text = lines(
    '[profile dev]',
    '# who set this up',
    '  region=us-east-1',
    'fedlogin_idp_url = https://idp.example/saml',
    '; keep me',
    'output =  json',
    '',
    '[profile other]',
    'region = x',
  );

  it('changes only the given keys, keeping comments, unknown keys, order, indentation and spacing', () => {
    const out = setKeys(text, 'config', 'dev', { region: 'eu-west-1', output: 'text' });
    expect(out).toBe(
      text.replace('  region=us-east-1', '  region=eu-west-1').replace('output =  json', 'output =  text'),
    );
  });

  it('adds new keys after the last setting, in its style, before the blank line', () => {
    const out = setKeys(text, 'config', 'dev', { role_arn: 'arn:aws:iam::1:role/r' });
    expect(out).toBe(text.replace('output =  json\n', 'output =  json\nrole_arn =  arn:aws:iam::1:role/r\n'));
  });

  it('removes keys given as undefined, with their continuation lines', () => {
    const nested = lines('[default]', 's3 =', '  max_concurrent_requests = 10', 'region = x', '');
    expect(setKeys(nested, 'config', 'default', { s3: undefined })).toBe(lines('[default]', 'region = x', ''));
    expect(setKeys(text, 'config', 'dev', { fedlogin_idp_url: undefined, absent: undefined })).toBe(
      text.replace('fedlogin_idp_url = https://idp.example/saml\n', ''),
    );
  });

  it('matches keys case-insensitively and changes every occurrence in the section', () => {
    const dup = lines('[dev]', 'Region = a', 'x = 1', 'region = b', '');
    expect(setKeys(dup, 'credentials', 'dev', { region: 'c' })).toBe(
      lines('[dev]', 'Region = c', 'x = 1', 'region = c', ''),
    );
  });

  it('appends the section when it is missing, and does nothing when only removing', () => {
    expect(setKeys('[a]\nx = 1\n', 'credentials', 'b', { y: '2', z: undefined })).toBe('[a]\nx = 1\n\n[b]\ny = 2\n');
    expect(setKeys('[a]\nx = 1\n', 'credentials', 'b', { z: undefined })).toBe('[a]\nx = 1\n');
  });

  it('keeps CRLF, the byte order mark, and a missing final newline', () => {
    const crlf = '\uFEFF[dev]\r\na = 1\r\nb = 2';
    expect(setKeys(crlf, 'credentials', 'dev', { b: '3', c: '4' })).toBe('\uFEFF[dev]\r\na = 1\r\nb = 3\r\nc = 4');
    expect(setKeys('[dev]', 'credentials', 'dev', { c: '4' })).toBe('[dev]\nc = 4');
  });

  it('writes "=" where the line used ":" (the JS SDK skips "key: value" lines)', () => {
    expect(setKeys('[dev]\nregion: a\n', 'credentials', 'dev', { region: 'b', output: 'json' })).toBe(
      '[dev]\nregion= b\noutput= json\n',
    );
  });
});

describe('removeSection', () => {
  it('removes the section and nothing else, keeping the comment that introduces the next one', () => {
    const text = lines(
      '# top',
      '[profile a]',
      'x = 1',
      '',
      '[profile dev]',
      'region = x',
      '',
      '# b is next',
      '',
      '[profile b]',
      'y = 2',
      '',
    );
    expect(removeSection(text, 'config', 'dev')).toBe(
      lines('# top', '[profile a]', 'x = 1', '', '# b is next', '', '[profile b]', 'y = 2', ''),
    );
  });

  it('removes every duplicate, and [default] with [profile default] in config', () => {
    const text = lines('[default]', 'a = 1', '[profile x]', 'b = 1', '[profile default]', 'a = 2', '');
    expect(removeSection(text, 'config', 'default')).toBe(lines('[profile x]', 'b = 1', ''));
    expect(removeSection(lines('[d]', 'a = 1', '[e]', '[d]', ''), 'credentials', 'd')).toBe(lines('[e]', ''));
  });

  it('can remove only the duplicates a predicate accepts', () => {
    const text = lines('[d]', 'a = 1', '[d]', 'x_security_token_expires = 2026', '');
    expect(
      removeSection(text, 'credentials', 'd', (s) => s.entries.some((e) => e.key === 'x_security_token_expires')),
    ).toBe(lines('[d]', 'a = 1', ''));
  });

  it('keeps the byte order mark and CRLF, and leaves an absent profile’s file unchanged', () => {
    expect(removeSection('\uFEFF[a]\r\nx = 1\r\n[b]\r\n', 'credentials', 'a')).toBe('\uFEFF[b]\r\n');
    const text = '[a]\nx = 1';
    expect(removeSection(text, 'credentials', 'zzz')).toBe(text);
  });
});
