/**
 * Edits of ~/.aws/config and ~/.aws/credentials that change one profile's section and leave every
 * other byte of the file as it was (comments, spacing, order, line endings, byte order mark).
 * Pure: text in, text out.
 *
 * When a profile has duplicate sections, upsertSection and setKeys edit the first one and leave
 * the others alone (the JS SDK merges duplicates with later keys winning, botocore rejects the
 * file; callers that care look with findProfileSections first, as writeCredentialsProfile does).
 * removeSection removes them all.
 */
import { internalError, usageError } from '../core/errors.js';
import {
  type AwsFileKind,
  findProfileSections,
  type IniDocument,
  type IniSection,
  isCommentLine,
  parseIniDocument,
} from './iniDocument.js';

const internalBug = (message: string) => internalError('INTERNAL', `Bug in fedlogin: ${message}.`);

export type IniEntries = readonly (readonly [string, string])[] | Readonly<Record<string, string>>;
/** undefined removes the key */
export type IniUpdates =
  | readonly (readonly [string, string | undefined])[]
  | Readonly<Record<string, string | undefined>>;

const KEY = /^[^\s=:#;[\]]+$/;
/** What the PROFILE_NAME_INVALID message promises, and nothing more. */
const NAME = /^[A-Za-z0-9_.@+-]+$/;
/** Names that are object properties in JavaScript: the JS SDK refuses `[__proto__]` (and older ones emptied their view of the file). */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * C0 controls (tab, CR and LF included), DEL, C1 controls (NEL included) and the Unicode line and
 * paragraph separators. A line break in a value is read as a key of its own by the JS and Go SDKs
 * and as part of the value by botocore, so no written value may contain one; the others are
 * terminal escapes or line breaks to some reader.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** How a control character is named in a message: `U+000A (line feed)`. */
export function describeControlCharacter(value: string): string {
  const c = CONTROL_CHARACTER.exec(value)?.[0];
  if (c === undefined) return 'none';
  const names: Record<string, string> = {
    '\n': 'line feed',
    '\r': 'carriage return',
    '\t': 'tab',
    '\u001b': 'escape',
    '\u0000': 'NUL',
  };
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return names[c] ? `${code} (${names[c]})` : code;
}

export function assertProfileName(name: string): void {
  if (!NAME.test(name)) {
    throw usageError(
      'PROFILE_NAME_INVALID',
      `${JSON.stringify(name)} cannot be used as a profile name in an AWS file: use only letters, digits and - _ . @ +.`,
      {
        hint: 'Choose a name such as dev, team@corp or ci_1 (shell characters, spaces, brackets and quotes are refused).',
      },
    );
  }
  if (RESERVED_NAMES.has(name.toLowerCase())) {
    throw usageError(
      'PROFILE_NAME_RESERVED',
      `"${name}" cannot be used as a profile name: the JS SDK refuses (older versions lose the whole file at) a section named __proto__, constructor or prototype.`,
      { hint: 'Choose another profile name.' },
    );
  }
}

/**
 * Throws unless `key = value` reads back as exactly this key and value in botocore, the JS SDK and
 * the Go SDK alike: one line, no control character, no white space at either end, nothing a
 * reader takes for a comment, not empty. Error messages name the key, never the value (it may be
 * a secret).
 */
export function assertWritable(key: string, value: string): void {
  if (!KEY.test(key) || CONTROL_CHARACTER.test(key)) {
    throw usageError(
      'INI_KEY_INVALID',
      `"${key}" cannot be written as a key in an AWS file (no spaces, control characters, = : # ; [ ]).`,
    );
  }
  const bad = (why: string) =>
    usageError('INI_VALUE_INVALID', `The value for "${key}" cannot be written to an AWS file: ${why}.`);
  if (CONTROL_CHARACTER.test(value)) {
    throw bad(
      `it contains the control character ${describeControlCharacter(value)}; a line break would start a setting of its own for the AWS SDKs`,
    );
  }
  // "key =" is a key with an empty value to botocore and the start of a nested block to the JS SDK
  if (value === '') throw bad('it is empty (the JS SDK would not see the key)');
  if (value !== value.trim()) throw bad('it starts or ends with white space');
  // botocore keeps "a #b" but the JS SDK cuts the line at " #"
  if (/(^|\s)[#;]/.test(value)) throw bad('an AWS SDK would read part of it as a comment ("#" or ";" after a space)');
}

function toPairs<V>(entries: readonly (readonly [string, V])[] | Readonly<Record<string, V>>): [string, V][] {
  const pairs: [string, V][] = Array.isArray(entries)
    ? entries.map(([k, v]) => [k, v] as [string, V])
    : Object.entries(entries as Record<string, V>);
  const seen = new Set<string>();
  for (const [key] of pairs) {
    const lower = key.toLowerCase();
    if (seen.has(lower)) throw usageError('INI_KEY_DUPLICATE', `The key "${key}" is given twice.`);
    seen.add(lower);
  }
  return pairs;
}

/** The line of one setting (values are single-line: assertWritable). */
function renderEntry(key: string, value: string, indent: string, eol: string, separator = ' = '): string {
  return `${indent}${key}${separator}${value}${eol}`;
}

export function newSectionHeader(kind: AwsFileKind, name: string): string {
  if (kind === 'credentials') return `[${name}]`;
  return name === 'default' ? '[default]' : `[profile ${name}]`;
}

/**
 * Indentation for lines written at the end of a section: a header indented deeper than the line
 * above it would read as a continuation of that line, so match the next header's indentation.
 */
function indentBefore(doc: IniDocument, offset: number): string {
  const next = doc.sections.find((s) => s.start >= offset);
  if (!next) return '';
  const lineEnd = doc.text.indexOf('\n', next.start);
  const line = doc.text.slice(next.start, lineEnd === -1 ? undefined : lineEnd);
  return line.slice(0, line.length - line.trimStart().length);
}

/** The indentation of a setting's line and the "=" with the spaces around it, as written. */
function lineStyle(text: string, start: number): { indent: string; separator: string } {
  const nl = text.indexOf('\n', start);
  const line = text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const body = line.trimStart();
  // "key: value" is botocore-only (the JS SDK skips the line): written lines always use "="
  const separator = (/^[^=:]*?(\s*[=:]\s*)/.exec(body)?.[1] ?? ' = ').replace(':', '=');
  return { indent: line.slice(0, line.length - body.length), separator };
}

/**
 * The line ending of the line at `start` (the file's dominant one for an unterminated last line).
 * Lines written into an existing section use its header's line ending, so that editing a file of
 * mixed line endings twice gives the same bytes as editing it once.
 */
function eolAt(doc: IniDocument, start: number): '\n' | '\r\n' {
  const nl = doc.text.indexOf('\n', start);
  if (nl === -1) return doc.eol;
  return nl > 0 && doc.text[nl - 1] === '\r' ? '\r\n' : '\n';
}

const headerLineOf = (doc: IniDocument, s: IniSection) => {
  const line = doc.text.slice(s.start, s.headerEnd);
  return line.endsWith('\n') ? line : line + doc.eol;
};

/** Blank line before a section appended to this text, and the line ending the last line lacks. */
function separatorForAppend(text: string, eol: string): string {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return '';
  if (!body.endsWith('\n')) return eol + eol;
  const withoutLast = body.slice(0, body.endsWith('\r\n') ? -2 : -1);
  const lastLine = withoutLast.slice(withoutLast.lastIndexOf('\n') + 1);
  return lastLine.trim() === '' ? '' : eol;
}

function appendSection(doc: IniDocument, header: string, body: string): string {
  return doc.text + separatorForAppend(doc.text, doc.eol) + header + doc.eol + body;
}

/**
 * Makes the profile's section hold exactly these settings, in this order. An existing section
 * keeps its header line as written and the comments and blank lines that follow its last setting
 * (they usually introduce the next section); comments between its settings go. A new section is
 * appended after one blank line, `[profile NAME]` (`[default]`) in config and `[NAME]` in
 * credentials, with the file's dominant line ending.
 */
export function upsertSection(text: string, kind: AwsFileKind, name: string, entries: IniEntries): string {
  assertProfileName(name);
  const pairs = toPairs(entries);
  for (const [k, v] of pairs) assertWritable(k, v);
  const doc = parseIniDocument(text);
  const [section] = findProfileSections(doc, kind, name);
  let result: string;
  if (!section) {
    result = appendSection(
      doc,
      newSectionHeader(kind, name),
      pairs.map(([k, v]) => renderEntry(k, v, '', doc.eol)).join(''),
    );
  } else {
    const indent = indentBefore(doc, section.end);
    const eol = eolAt(doc, section.start);
    const body = pairs.map(([k, v]) => renderEntry(k, v, indent, eol)).join('');
    result = text.slice(0, section.start) + headerLineOf(doc, section) + body + text.slice(section.contentEnd);
  }
  verifyEntries(result, kind, name, pairs);
  return result;
}

/**
 * Changes, adds (value) or removes (undefined) only the given keys in the profile's first
 * section, keeping every other line (comments, unknown keys, order, each line's indentation and
 * its spacing around "="). A key that appears twice in the section is changed everywhere. New keys
 * go after the last setting. A missing section is appended as upsertSection would.
 */
export function setKeys(text: string, kind: AwsFileKind, name: string, updates: IniUpdates): string {
  assertProfileName(name);
  return setKeysIn(text, updates, {
    find: (doc) => findProfileSections(doc, kind, name)[0],
    create: (adds) => upsertSection(text, kind, name, adds),
    verify: (result, expected) =>
      verifyMerged(findProfileSections(parseIniDocument(result), kind, name)[0], name, expected),
  });
}

/**
 * setKeys for a section that is not a profile, named by its whole header (`sso-session corp`,
 * `services x`): the same edits, every other byte kept; a missing section is appended.
 */
export function setSectionKeys(text: string, header: string, updates: IniUpdates): string {
  if (!/^[A-Za-z0-9_.@+-]+( [A-Za-z0-9_.@+-]+)?$/.test(header))
    throw usageError('PROFILE_NAME_INVALID', `[${header}] cannot be written as a section header.`);
  const find = (doc: IniDocument) => doc.sections.find((s) => s.header === header);
  return setKeysIn(text, updates, {
    find,
    create: (adds) => {
      const doc = parseIniDocument(text);
      return appendSection(doc, `[${header}]`, adds.map(([k, v]) => renderEntry(k, v, '', doc.eol)).join(''));
    },
    verify: (result, expected) => verifyMerged(find(parseIniDocument(result)), header, expected),
  });
}

interface SectionTarget {
  find(doc: IniDocument): IniSection | undefined;
  /** the text with a new section holding `adds` */
  create(adds: [string, string][]): string;
  verify(result: string, expected: Map<string, string>): void;
}

function setKeysIn(text: string, updates: IniUpdates, target: SectionTarget): string {
  const pairs = toPairs<string | undefined>(updates);
  for (const [k, v] of pairs) if (v !== undefined) assertWritable(k, v);
  const doc = parseIniDocument(text);
  const section = target.find(doc);
  const wanted = new Map(pairs.map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));
  if (!section) {
    const adds = pairs.filter((p): p is [string, string] => p[1] !== undefined);
    if (adds.length === 0) return text;
    return target.create(adds);
  }

  const pieces: string[] = [];
  let at = section.start;
  const done = new Set<string>();
  for (const entry of section.entries) {
    const update = wanted.get(entry.key.toLowerCase());
    if (!update) continue;
    done.add(entry.key.toLowerCase());
    pieces.push(text.slice(at, entry.start));
    if (update.value !== undefined) {
      const { indent, separator } = lineStyle(text, entry.start);
      const eol = eolAt(doc, entry.start);
      let rendered = renderEntry(entry.key, update.value, indent, eol, separator);
      if (entry.end === text.length && !text.endsWith('\n')) rendered = rendered.slice(0, -eol.length);
      pieces.push(rendered);
    }
    at = entry.end;
  }
  const adds = pairs.filter(([k, v]) => v !== undefined && !done.has(k.toLowerCase())) as [string, string][];
  if (adds.length > 0) {
    // new keys look like the section's last setting: its indentation and its spacing around "="
    const last = section.entries[section.entries.length - 1];
    const style = last ? lineStyle(text, last.start) : { indent: indentBefore(doc, section.end), separator: ' = ' };
    const insertAt = section.contentEnd;
    pieces.push(text.slice(at, insertAt));
    at = insertAt;
    const eol = eolAt(doc, last ? last.start : section.start);
    let block = adds.map(([k, v]) => renderEntry(k, v, style.indent, eol, style.separator)).join('');
    // only at the end of a file that has no final line ending: keep it that way
    if (!text.slice(0, insertAt).endsWith('\n')) block = eol + block.slice(0, -eol.length);
    pieces.push(block);
  }
  pieces.push(text.slice(at));
  const result = text.slice(0, section.start) + pieces.join('');

  const expected = new Map<string, string>();
  for (const e of section.entries) expected.set(e.key.toLowerCase(), e.value);
  for (const [k, v] of pairs) {
    if (v === undefined) expected.delete(k.toLowerCase());
    else expected.set(k.toLowerCase(), v);
  }
  target.verify(result, expected);
  return result;
}

/**
 * Removes the profile's sections (every duplicate, or those `which` accepts) and nothing else.
 * Comments after a removed section's last setting stay: they usually introduce the next section.
 * Blank lines between the settings and such a comment go with the section.
 */
export function removeSection(
  text: string,
  kind: AwsFileKind,
  name: string,
  which: (section: IniSection) => boolean = () => true,
): string {
  const doc = parseIniDocument(text);
  const doomed = findProfileSections(doc, kind, name).filter(which);
  if (doomed.length === 0) return text;
  let result = '';
  let at = 0;
  for (const s of doomed) {
    result += text.slice(at, s.start);
    at = keptTailStart(text, s);
  }
  result += text.slice(at);
  return result;
}

/** Offset of the first comment line in the section's tail (or its end when there is none). */
function keptTailStart(text: string, s: IniSection): number {
  let lineStart = s.contentEnd;
  while (lineStart < s.end) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 || nl >= s.end ? s.end : nl + 1;
    if (isCommentLine(text.slice(lineStart, lineEnd).trim())) return lineStart;
    lineStart = lineEnd;
  }
  return s.end;
}

function verifyEntries(result: string, kind: AwsFileKind, name: string, pairs: [string, string][]): void {
  const [section] = findProfileSections(parseIniDocument(result), kind, name);
  const got = section?.entries.map((e) => [e.key, e.value]) ?? [];
  if (JSON.stringify(got) !== JSON.stringify(pairs)) {
    throw internalBug(`editing profile "${name}" did not produce the requested settings`);
  }
}

function verifyMerged(section: IniSection | undefined, name: string, expected: Map<string, string>): void {
  const got = new Map<string, string>();
  for (const e of section?.entries ?? []) got.set(e.key.toLowerCase(), e.value);
  const same = got.size === expected.size && [...expected].every(([k, v]) => got.get(k) === v);
  if (!same) throw internalBug(`editing profile "${name}" did not produce the requested settings`);
}
