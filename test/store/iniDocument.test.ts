import { describe, expect, it } from 'vitest';
import {
  dominantEol,
  findProfileSections,
  getProfile,
  getSection,
  listProfiles,
  parseIniDocument,
  sectionProfileName,
} from '../../src/store/iniDocument.js';

const plain = (record: Record<string, string> | undefined) => (record ? { ...record } : record);

describe('parseIniDocument', () => {
  it('reads sections, settings with any spacing around "=", and comments', () => {
    const text = [
      '# a comment',
      '; another',
      '',
      '[default]',
      'region=us-east-1',
      'output =json',
      '  # indented comment',
      'cli_pager   =   ',
      '[profile dev]',
      'role_arn = arn:aws:iam::123456789012:role/dev',
      '',
    ].join('\n');
    const doc = parseIniDocument(text);
    expect(doc.problems).toEqual([]);
    expect(doc.sections.map((s) => s.header)).toEqual(['default', 'profile dev']);
    expect(plain(getProfile(doc, 'config', 'default'))).toEqual({ region: 'us-east-1', output: 'json', cli_pager: '' });
    expect(plain(getProfile(doc, 'config', 'dev'))).toEqual({ role_arn: 'arn:aws:iam::123456789012:role/dev' });
    expect(doc.preamble).toEqual({ start: 0, end: text.indexOf('[default]') });
  });

  it('keeps offsets that cover the text: preamble, then each section up to the next header', () => {
    const text = '#c\n[a]\nx = 1\n\n# about b\n[b]\ny=2';
    const doc = parseIniDocument(text);
    const [a, b] = doc.sections;
    expect(a).toMatchObject({ start: 3, headerEnd: 7, contentEnd: 13, end: 24, line: 2 });
    expect(text.slice(a!.start, a!.end)).toBe('[a]\nx = 1\n\n# about b\n');
    expect(text.slice(a!.contentEnd, a!.end)).toBe('\n# about b\n');
    expect(b).toMatchObject({ start: 24, headerEnd: 28, contentEnd: text.length, end: text.length });
    expect(a!.entries[0]).toMatchObject({ key: 'x', value: '1', line: 3, start: 7, end: 13 });
  });

  it('has no inline comments, like botocore: "#" after a value is part of it', () => {
    const doc = parseIniDocument('[default]\nregion = eu-west-1 # Ireland\n');
    expect(getProfile(doc, 'config', 'default')?.region).toBe('eu-west-1 # Ireland');
  });

  it('keeps an indented block under a key as its raw value (nested s3 settings)', () => {
    const text =
      '[default]\ns3 =\n  max_concurrent_requests = 10\n\n  # note\n  multipart_threshold = 64MB\nregion = us-east-1\n';
    const doc = parseIniDocument(text);
    const p = getProfile(doc, 'config', 'default');
    // botocore's value: lines trimmed, joined with \n, blank lines inside kept
    expect(p?.s3).toBe('\nmax_concurrent_requests = 10\n\nmultipart_threshold = 64MB');
    expect(p?.region).toBe('us-east-1');
    const s3 = doc.sections[0]!.entries[0]!;
    expect(text.slice(s3.start, s3.end)).toBe(
      's3 =\n  max_concurrent_requests = 10\n\n  # note\n  multipart_threshold = 64MB\n',
    );
  });

  it('reads CRLF files and a byte order mark, and says which line ending dominates', () => {
    const text = '\uFEFF[default]\r\nregion = us-east-1\r\n[profile x]\r\nregion=eu-west-1\n';
    const doc = parseIniDocument(text);
    expect(doc.bom).toBe(true);
    expect(doc.eol).toBe('\r\n');
    expect(doc.sections[0]!.start).toBe(1);
    expect(doc.preamble).toEqual({ start: 0, end: 1 });
    expect(getProfile(doc, 'config', 'default')?.region).toBe('us-east-1');
    expect(getProfile(doc, 'config', 'x')?.region).toBe('eu-west-1');
    expect(dominantEol('a\nb\nc\r\n')).toBe('\n');
    expect(dominantEol('no line breaks')).toBe('\n');
  });

  it('splits at the first "=" or ":" like configparser', () => {
    const doc = parseIniDocument('[default]\nrole_arn = arn:aws:iam::1:role/x\nregion: eu-west-1\n');
    expect(plain(getProfile(doc, 'config', 'default'))).toEqual({
      role_arn: 'arn:aws:iam::1:role/x',
      region: 'eu-west-1',
    });
  });

  it('compares keys case-insensitively (configparser lowercases them), keeping them as written in entries', () => {
    const doc = parseIniDocument('[dev]\nAWS_ACCESS_KEY_ID = AKIA\n');
    expect(getProfile(doc, 'credentials', 'dev')?.aws_access_key_id).toBe('AKIA');
    expect(doc.sections[0]!.entries[0]!.key).toBe('AWS_ACCESS_KEY_ID');
  });

  it('reports what botocore refuses, with line numbers, and goes on', () => {
    const doc = parseIniDocument('region = x\n[default]\njust words\n= value\n[profile ok]\na = 1\n');
    expect(doc.problems).toEqual([
      { line: 1, message: 'a setting appears before the first [section] header' },
      { line: 3, message: 'expected "key = value", a [section] header or a comment' },
      { line: 4, message: 'a setting has no key before the "="' },
    ]);
    expect(getProfile(doc, 'config', 'ok')?.a).toBe('1');
  });

  it('reports a header without its "]" (or without a name) as such, at its line, before any later problem', () => {
    const doc = parseIniDocument('[profile ci\nregion = eu-west-1\n[profile ok]\na = 1\n[]\n');
    expect(doc.problems[0]).toEqual({ line: 1, message: 'the section header "[profile ci" has no closing "]"' });
    expect(doc.problems).toContainEqual({
      line: 5,
      message: 'the section header "[]" has no name between "[" and "]"',
    });
    expect(getProfile(doc, 'config', 'ok')?.a).toBe('1');
    // a key that starts with "[" is still a setting, as configparser reads it
    expect(parseIniDocument('[a]\n[x = 1\n').problems).toEqual([]);
  });

  it('treats a line indented under a setting as its continuation, even if it looks like a header', () => {
    const doc = parseIniDocument('[a]\nkey = v\n  [b]\n');
    expect(doc.sections).toHaveLength(1);
    expect(getSection(doc, 'a')?.key).toBe('v\n[b]');
  });

  it('takes the header up to the last "]" and ignores what follows it', () => {
    expect(parseIniDocument('[profile dev] ; note\n').sections[0]!.header).toBe('profile dev');
    expect(parseIniDocument('[profile dev]x\n').sections[0]!.header).toBe('profile dev');
  });
});

describe('profiles', () => {
  it('config: [default] and [profile NAME]; bare [NAME] and other kinds of section are not profiles', () => {
    const doc = parseIniDocument(
      '[default]\na=1\n[profile dev]\na=2\n[prod]\na=3\n[sso-session corp]\nsso_region=eu-west-1\n[services s]\na=4\n[profile "quoted name"]\na=5\n',
    );
    expect(listProfiles(doc, 'config')).toEqual(['default', 'dev', 'quoted name']);
    expect(getProfile(doc, 'config', 'prod')).toBeUndefined();
    expect(getSection(doc, 'sso-session corp')?.sso_region).toBe('eu-west-1');
  });

  it('credentials: every [NAME] is the profile NAME, [profile x] included, literally', () => {
    const doc = parseIniDocument('[default]\na=1\n[dev]\na=2\n[profile x]\na=3\n');
    expect(listProfiles(doc, 'credentials')).toEqual(['default', 'dev', 'profile x']);
    expect(getProfile(doc, 'credentials', 'x')).toBeUndefined();
  });

  it('config: [profile default] is the default profile too; both forms merge in file order', () => {
    const doc = parseIniDocument('[default]\na=1\nb=1\n[profile default]\nb=2\n');
    expect(plain(getProfile(doc, 'config', 'default'))).toEqual({ a: '1', b: '2' });
    expect(findProfileSections(doc, 'config', 'default').map((s) => s.header)).toEqual(['default', 'profile default']);
    expect(listProfiles(doc, 'config')).toEqual(['default']);
  });

  it('duplicate sections merge in order, a later key winning (the JS SDK does this)', () => {
    const doc = parseIniDocument(
      '[profile dev]\nregion=a\noutput=json\n[profile prod]\nregion=p\n[profile dev]\nregion=b\n',
    );
    expect(plain(getProfile(doc, 'config', 'dev'))).toEqual({ region: 'b', output: 'json' });
    expect(listProfiles(doc, 'config')).toEqual(['dev', 'prod']);
  });

  it('names with spaces inside the brackets are not the trimmed name (no SDK trims them)', () => {
    expect(sectionProfileName(' dev ', 'credentials')).toBe(' dev ');
    expect(sectionProfileName(' profile dev', 'config')).toBeUndefined();
    expect(sectionProfileName('profile  dev', 'config')).toBe('dev');
    expect(sectionProfileName('profile a b', 'config')).toBeUndefined();
    expect(sectionProfileName('profiledev', 'config')).toBeUndefined();
  });

  it('an empty or missing file has no profiles', () => {
    const doc = parseIniDocument('');
    expect(doc.sections).toEqual([]);
    expect(listProfiles(doc, 'config')).toEqual([]);
    expect(getProfile(doc, 'config', 'default')).toBeUndefined();
  });
});
