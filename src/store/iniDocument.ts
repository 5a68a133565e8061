/**
 * Parses the text of ~/.aws/config or ~/.aws/credentials into sections and entries that remember
 * where they sit in the text, so that iniEdit.ts can splice one section and leave every other byte
 * alone. Pure: no I/O.
 *
 * The rules are botocore's (Python's RawConfigParser as botocore configures it), which is the
 * strictest reader in common use:
 * - a comment is a line whose first non-blank character is `#` or `;` (anywhere, even indented);
 *   there are no inline comments: `region = eu-west-1 # x` has the value `eu-west-1 # x`;
 * - a setting is `key = value`, split at the first `=` or `:`, both sides trimmed; keys are
 *   compared case-insensitively (configparser lowercases them);
 * - a line indented deeper than the setting above it continues that setting's value (nested
 *   values like `s3 =` / `  max_concurrent_requests = 10`); the value is kept raw, its lines
 *   trimmed and joined with `\n` (so the example's value is `\nmax_concurrent_requests = 10`);
 * - a header is a line starting with `[`, the name being everything up to the last `]`, kept as
 *   written (`[ dev ]` is not the profile `dev` in any SDK);
 * - in config the profile `default` is `[default]` (or `[profile default]`), every other profile
 *   is `[profile NAME]`; in credentials every section `[NAME]` is the profile NAME.
 *
 * Where botocore refuses a file (a setting before the first header, a line that is neither a
 * header, a comment nor a setting) the parser records a problem with its line number and goes on,
 * like the JS SDK does; readAwsFile turns problems into an error.
 *
 * Duplicate sections (and keys) are an error for botocore but are merged by the JS SDK: sections
 * of the same profile are merged in file order and a later key wins. getProfile does the same.
 * A UTF-8 byte order mark is skipped (the JS SDK's trim does too) and remembered.
 */
export type AwsFileKind = 'config' | 'credentials';

export interface IniEntry {
  /** as written (case kept) */
  key: string;
  /** trimmed; continuation lines joined with '\n' */
  value: string;
  /** 1-based line number of the key line */
  line: number;
  /** offset of the key line's first character (its indentation included) */
  start: number;
  /** offset just after the last line of the entry (its continuation lines and line ending included) */
  end: number;
}

export interface IniSection {
  /** the text between `[` and the last `]`, as written: "profile dev", "default", "sso-session x" */
  header: string;
  /** 1-based line number of the header */
  line: number;
  /** offset of the header line (after a byte order mark) */
  start: number;
  /** offset just after the header line's line ending */
  headerEnd: number;
  /**
   * offset just after the last line of the section that is not blank or a comment (headerEnd when
   * there is none). Blank lines and comments from here to `end` usually introduce the next section.
   */
  contentEnd: number;
  /** offset of the next header line, or the end of the text */
  end: number;
  entries: IniEntry[];
}

export interface IniProblem {
  line: number;
  message: string;
}

export interface IniDocument {
  text: string;
  bom: boolean;
  /** the line ending most lines use; '\n' for a file without line breaks */
  eol: '\n' | '\r\n';
  /** everything before the first header: comments, blank lines, the byte order mark */
  preamble: { start: number; end: number };
  sections: IniSection[];
  problems: IniProblem[];
}

const BOM = '\uFEFF';

interface Line {
  number: number;
  start: number;
  /** offset after the line ending */
  end: number;
  /** the line without its line ending (and without a leading byte order mark) */
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = text.startsWith(BOM) ? 1 : 0;
  let number = 1;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl + 1;
    let contentEnd = nl === -1 ? text.length : nl;
    if (nl !== -1 && contentEnd > start && text.charCodeAt(contentEnd - 1) === 13) contentEnd -= 1;
    lines.push({ number, start, end, text: text.slice(start, contentEnd) });
    start = end;
    number += 1;
  }
  return lines;
}

export function dominantEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf += 1;
    else lf += 1;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export const isCommentLine = (trimmed: string) => trimmed.startsWith('#') || trimmed.startsWith(';');

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The header name of a `[...]` line, or undefined when the (trimmed) line is not a header. */
export function headerOf(trimmed: string): string | undefined {
  if (!trimmed.startsWith('[')) return undefined;
  const close = trimmed.lastIndexOf(']');
  return close > 1 ? trimmed.slice(1, close) : undefined;
}

/** Why a line that starts with `[` is not a header: no closing `]`, or no name between them. */
function brokenHeaderMessage(trimmed: string): string {
  const shown = trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed;
  return trimmed.lastIndexOf(']') === -1
    ? `the section header "${shown}" has no closing "]"`
    : `the section header "${shown}" has no name between "[" and "]"`;
}

interface OpenEntry {
  entry: IniEntry;
  parts: string[];
}

export function parseIniDocument(text: string): IniDocument {
  const sections: IniSection[] = [];
  const problems: IniProblem[] = [];
  let section: IniSection | undefined;
  let open: OpenEntry | undefined;
  /** indentation of the last header or setting line; deeper lines continue the setting */
  let indentLevel = 0;

  const closeEntry = () => {
    if (!open) return;
    open.entry.value = open.parts.join('\n').trimEnd();
    open = undefined;
  };

  for (const line of splitLines(text)) {
    const trimmed = line.text.trim();
    if (trimmed === '') {
      // configparser keeps blank lines inside a multi-line value (trailing ones are trimmed later)
      if (open) open.parts.push('');
      continue;
    }
    if (isCommentLine(trimmed)) continue;
    const indent = indentOf(line.text);
    if (open && section && indent > indentLevel) {
      open.parts.push(trimmed);
      open.entry.end = line.end;
      section.contentEnd = line.end;
      continue;
    }
    closeEntry();
    indentLevel = indent;
    const header = headerOf(trimmed);
    if (header !== undefined) {
      if (section) section.end = line.start;
      section = {
        header,
        line: line.number,
        start: line.start,
        headerEnd: line.end,
        contentEnd: line.end,
        end: text.length,
        entries: [],
      };
      sections.push(section);
      continue;
    }
    if (trimmed.startsWith('[') && !/[=:]/.test(trimmed)) {
      // neither a header nor a setting for botocore either: said as what it was meant to be
      problems.push({ line: line.number, message: brokenHeaderMessage(trimmed) });
      continue;
    }
    if (!section) {
      problems.push({ line: line.number, message: 'a setting appears before the first [section] header' });
      continue;
    }
    section.contentEnd = line.end;
    const eq = trimmed.indexOf('=');
    const colon = trimmed.indexOf(':');
    const at = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon);
    if (at === -1) {
      problems.push({ line: line.number, message: 'expected "key = value", a [section] header or a comment' });
      continue;
    }
    const key = trimmed.slice(0, at).trimEnd();
    if (key === '') {
      problems.push({ line: line.number, message: 'a setting has no key before the "="' });
      continue;
    }
    const entry: IniEntry = { key, value: '', line: line.number, start: line.start, end: line.end };
    section.entries.push(entry);
    open = { entry, parts: [trimmed.slice(at + 1).trim()] };
  }
  closeEntry();

  return {
    text,
    bom: text.startsWith(BOM),
    eol: dominantEol(text),
    preamble: { start: 0, end: sections[0]?.start ?? text.length },
    sections,
    problems,
  };
}

const CONFIG_PROFILE = /^profile[ \t]+(?:"([^"]+)"|'([^']+)'|([^\s"']+))[ \t]*$/;

/** The profile a section header stands for in a file of this kind, or undefined (sso-session, services...). */
export function sectionProfileName(header: string, kind: AwsFileKind): string | undefined {
  if (kind === 'credentials') return header;
  if (header === 'default') return 'default';
  const m = CONFIG_PROFILE.exec(header);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Every section of the profile, in file order (more than one when the file repeats it). */
export function findProfileSections(doc: IniDocument, kind: AwsFileKind, name: string): IniSection[] {
  return doc.sections.filter((s) => sectionProfileName(s.header, kind) === name);
}

/** Keys lowercased, later sections and later keys win. Null prototype: keys are user data. */
export function mergeEntries(sections: readonly IniSection[]): Record<string, string> {
  const merged: Record<string, string> = Object.create(null);
  for (const s of sections) for (const e of s.entries) merged[e.key.toLowerCase()] = e.value;
  return merged;
}

/** The profile's settings (keys lowercased), or undefined when the file has no such profile. */
export function getProfile(doc: IniDocument, kind: AwsFileKind, name: string): Record<string, string> | undefined {
  const sections = findProfileSections(doc, kind, name);
  return sections.length === 0 ? undefined : mergeEntries(sections);
}

/** A non-profile section such as `sso-session corp` or `services x`, matched by its exact header. */
export function getSection(doc: IniDocument, header: string): Record<string, string> | undefined {
  const sections = doc.sections.filter((s) => s.header === header);
  return sections.length === 0 ? undefined : mergeEntries(sections);
}

/** Profile names in order of first appearance, each once. */
export function listProfiles(doc: IniDocument, kind: AwsFileKind): string[] {
  const names = new Set<string>();
  for (const s of doc.sections) {
    const name = sectionProfileName(s.header, kind);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}
