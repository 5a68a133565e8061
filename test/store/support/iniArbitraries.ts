/**
 * fast-check generators of ~/.aws files as people and tools really leave them: comments (indented
 * too), blank lines with stray spaces, odd spacing around "=", "key: value", nested values, CRLF
 * and LF mixed, a byte order mark, a missing final newline, duplicate sections, [default] next to
 * [profile default], sso-session and bare sections, and the odd invalid line.
 */
import fc from 'fast-check';
import { listProfiles, parseIniDocument } from '../../../src/store/iniDocument.js';

export const PROFILE_NAMES = ['default', 'dev', 'prod', 'a-b', 'x.y', 'Dev', 'team@corp', 'ci_1'] as const;

const key = fc.constantFrom(
  'region',
  'output',
  'role_arn',
  'aws_access_key_id',
  'credential_process',
  'Region',
  'sso_session',
  'x_y',
  's3',
);
const value = fc.constantFrom(
  'us-east-1',
  'json',
  'arn:aws:iam::123456789012:role/x',
  'a#b',
  'x;y',
  'fedlogin credential-process --profile dev',
  '',
  'a = b',
  'with  two  spaces',
  'é ünïcode',
  'tail # comment-like',
);
const space = fc.constantFrom('', ' ', '  ', '\t');
const indent = fc.constantFrom('', '', '', ' ', '  ');

const entryLines = fc
  .tuple(indent, key, space, fc.constantFrom('=', '=', '=', ':'), space, value, space)
  .map(([i, k, s1, d, s2, v, s3]) => [`${i}${k}${s1}${d}${s2}${v}${s3}`]);

const nestedLines = fc
  .tuple(key, fc.array(fc.tuple(fc.constantFrom('  ', '    ', '\t'), key, value), { minLength: 1, maxLength: 3 }))
  .map(([k, inner]) => [`${k} =`, ...inner.map(([i, ik, iv]) => `${i}${ik} = ${iv}`)]);

const commentLines = fc
  .tuple(indent, fc.constantFrom('#', ';', '# ', '##'), fc.constantFrom('note', '[profile fake]', 'key = value', ''))
  .map(([i, c, t]) => [`${i}${c}${t}`]);

const blankLines = fc.constantFrom('', ' ', '\t', '   ').map((l) => [l]);
const junkLines = fc.constantFrom('just words', '= nokey').map((l) => [l]);

const bodyLines = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: entryLines },
      { weight: 2, arbitrary: nestedLines },
      { weight: 2, arbitrary: commentLines },
      { weight: 2, arbitrary: blankLines },
      { weight: 1, arbitrary: junkLines },
    ),
    {
      maxLength: 6,
    },
  )
  .map((groups) => groups.flat());

const name = fc.constantFrom(...PROFILE_NAMES);

const header = fc.oneof(
  { weight: 5, arbitrary: name.map((n) => `[profile ${n}]`) },
  { weight: 3, arbitrary: name.map((n) => `[${n}]`) },
  { weight: 1, arbitrary: fc.constant('[default]') },
  { weight: 1, arbitrary: fc.constant('[profile default]') },
  { weight: 1, arbitrary: name.map((n) => `[sso-session ${n}]`) },
  { weight: 1, arbitrary: name.map((n) => `[profile  ${n}]  `) },
  { weight: 1, arbitrary: name.map((n) => `[profile ${n}] ; trailing note`) },
  { weight: 1, arbitrary: name.map((n) => `[ ${n} ]`) },
);

/** A whole file: BOM?, preamble (comments, blank lines), sections; line endings per line. */
export const awsFileText = fc
  .record({
    bom: fc.boolean(),
    preamble: fc.array(fc.oneof(commentLines, blankLines), { maxLength: 3 }).map((g) => g.flat()),
    sections: fc.array(fc.tuple(header, bodyLines), { maxLength: 7 }),
    eol: fc.constantFrom('lf', 'crlf', 'mixed'),
    finalNewline: fc.boolean(),
    seed: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  })
  .map(({ bom, preamble, sections, eol, finalNewline, seed }) => {
    const lines = [...preamble, ...sections.flatMap(([h, body]) => [h, ...body])];
    let text = bom ? '\uFEFF' : '';
    lines.forEach((line, i) => {
      const lineEnd = eol === 'lf' ? '\n' : eol === 'crlf' ? '\r\n' : seed[i % 64] ? '\r\n' : '\n';
      text += line + (i < lines.length - 1 || finalNewline ? lineEnd : '');
    });
    return text;
  });

export const profileName = name;

/** Settings to write: unique keys (case-insensitively), values the editor accepts (one line, not empty). */
export const writableEntries = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom(
        'region',
        'output',
        'role_arn',
        'aws_access_key_id',
        'aws_session_token',
        'credential_process',
        'x_security_token_expires',
        's3',
        'Mixed_Case',
        'k.dot',
      ),
      fc.constantFrom(
        'us-east-1',
        'arn:aws:iam::123456789012:role/x',
        'fedlogin credential-process --profile dev',
        'a#b',
        'x;y',
        'AKIA01234EXAMPLEABCD',
        'a = b',
        '2026-01-01T12:00:00.000Z',
      ),
    ),
    { selector: ([k]) => k.toLowerCase(), maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => [k, v] as [string, string]));

/** Updates for setKeys: a value, or undefined to remove the key. */
export const keyUpdates = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom('region', 'output', 'Region', 'role_arn', 'credential_process', 's3', 'new_key', 'x_y'),
      fc.option(fc.constantFrom('eu-west-1', 'json', 'a#b', 'a = b'), { nil: undefined }),
    ),
    { selector: ([k]) => k.toLowerCase(), maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => [k, v] as [string, string | undefined]));

export const fileKind = fc.constantFrom('config' as const, 'credentials' as const);

/**
 * A file, a kind, and a profile to edit: three times in four a profile the file has (of the
 * writable names), so that in-place edits and duplicates get their share of runs.
 */
export const editCase = fc.tuple(awsFileText, fileKind).chain(([text, kind]) => {
  const present = listProfiles(parseIniDocument(text), kind).filter((n) =>
    (PROFILE_NAMES as readonly string[]).includes(n),
  );
  const target =
    present.length === 0
      ? name
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...present) }, { weight: 1, arbitrary: name });
  return fc.tuple(fc.constant(text), fc.constant(kind), target);
});
