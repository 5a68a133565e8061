/**
 * Property tests of the ~/.aws editor over generated files (support/iniArbitraries.ts): an edit
 * changes the bytes of its own section and nothing else, and the result reads back as intended.
 * 3,100 runs in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findProfileSections,
  type IniDocument,
  type IniSection,
  isCommentLine,
  parseIniDocument,
} from '../../src/store/iniDocument.js';
import { removeSection, setKeys, upsertSection } from '../../src/store/iniEdit.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { awsFileText, editCase, keyUpdates, writableEntries } from './support/iniArbitraries.js';

const view = (s: IniSection) => ({ header: s.header, entries: s.entries.map((e) => [e.key, e.value]) });

/** The sections other than `skip`, as header and (key, value) pairs. */
const others = (doc: IniDocument, skip: IniSection | undefined) => doc.sections.filter((s) => s !== skip).map(view);

describe('upsertSection', () => {
  it('changes only the section it writes, which then holds exactly the written settings', () => {
    assertFuzz(
      fc.property(editCase, writableEntries, ([text, kind, name], entries) => {
        const before = parseIniDocument(text);
        const target = findProfileSections(before, kind, name)[0];
        const out = upsertSection(text, kind, name, entries);
        const after = parseIniDocument(out);
        const written = findProfileSections(after, kind, name)[0];

        expect(written && view(written).entries).toEqual(entries);
        expect(after.bom).toBe(before.bom);
        expect(after.problems.length).toBeLessThanOrEqual(before.problems.length);
        if (target) {
          // everything before the body (header line included) and after the last setting is unchanged
          const head = text.slice(0, target.headerEnd);
          expect(out.startsWith(head) || out.startsWith(head + before.eol)).toBe(true);
          expect(out.endsWith(text.slice(target.contentEnd))).toBe(true);
          expect(others(after, written)).toEqual(others(before, target));
        } else {
          expect(out.startsWith(text)).toBe(true);
          expect(written).toBe(after.sections[after.sections.length - 1]);
          expect(others(after, written)).toEqual(others(before, undefined));
        }
      }),
      { numRuns: 1200 },
      '~/.aws editor (test/store/iniEdit.property.test.ts)',
    );
  });

  it('is idempotent', () => {
    assertFuzz(
      fc.property(editCase, writableEntries, ([text, kind, name], entries) => {
        const once = upsertSection(text, kind, name, entries);
        expect(upsertSection(once, kind, name, entries)).toBe(once);
      }),
      { numRuns: 300 },
      '~/.aws editor (test/store/iniEdit.property.test.ts)',
    );
  });
});

/** Can `out` be made from `text` by deleting only bytes inside `ranges`, each keeping a suffix of blank and comment lines? */
function isRemovalOf(text: string, out: string, ranges: { start: number; end: number }[]): boolean {
  const pieceStart = (i: number) => (i === 0 ? 0 : ranges[i - 1]!.end);
  const pieceEnd = (i: number) => (i === ranges.length ? text.length : ranges[i]!.start);
  const go = (i: number, pos: number): boolean => {
    const piece = text.slice(pieceStart(i), pieceEnd(i));
    if (!out.startsWith(piece, pos)) return false;
    pos += piece.length;
    if (i === ranges.length) return pos === out.length;
    const r = ranges[i]!;
    for (let k = r.start; k <= r.end; k += 1) {
      if (k !== r.end && k !== r.start && text[k - 1] !== '\n') continue;
      const kept = text.slice(k, r.end);
      const onlyBlankOrComments = kept.split('\n').every((line) => line.trim() === '' || isCommentLine(line.trim()));
      if (onlyBlankOrComments && out.startsWith(kept, pos) && go(i + 1, pos + kept.length)) return true;
    }
    return false;
  };
  return go(0, 0);
}

describe('removeSection', () => {
  it('removes every section of the profile and nothing outside them', () => {
    assertFuzz(
      fc.property(editCase, ([text, kind, name]) => {
        const before = parseIniDocument(text);
        const doomed = findProfileSections(before, kind, name);
        const out = removeSection(text, kind, name);
        const after = parseIniDocument(out);
        expect(findProfileSections(after, kind, name)).toEqual([]);
        expect(after.sections.map(view)).toEqual(before.sections.filter((s) => !doomed.includes(s)).map(view));
        expect(isRemovalOf(text, out, doomed)).toBe(true);
        if (doomed.length === 0) expect(out).toBe(text);
      }),
      { numRuns: 800 },
      '~/.aws editor (test/store/iniEdit.property.test.ts)',
    );
  });
});

describe('setKeys', () => {
  it('changes only the given keys of the first section, keeping its other settings and comments', () => {
    assertFuzz(
      fc.property(editCase, keyUpdates, ([text, kind, name], updates) => {
        const before = parseIniDocument(text);
        const target = findProfileSections(before, kind, name)[0];
        const out = setKeys(text, kind, name, updates);
        const after = parseIniDocument(out);
        const edited = findProfileSections(after, kind, name)[0];
        const touched = new Set(updates.map(([k]) => k.toLowerCase()));

        if (!target) {
          if (updates.every(([, v]) => v === undefined)) expect(out).toBe(text);
          else expect(out.startsWith(text)).toBe(true);
          return;
        }
        expect(edited).toBeDefined();
        expect(out.startsWith(text.slice(0, target.headerEnd))).toBe(true);
        expect(out.endsWith(text.slice(target.contentEnd))).toBe(true);
        expect(others(after, edited)).toEqual(others(before, target));

        // untouched settings keep their order and values; touched ones have the new values
        const untouched = (s: IniSection) =>
          s.entries.filter((e) => !touched.has(e.key.toLowerCase())).map((e) => [e.key, e.value]);
        expect(untouched(edited!)).toEqual(untouched(target));
        for (const [key, value] of updates) {
          const found = edited!.entries.filter((e) => e.key.toLowerCase() === key.toLowerCase()).map((e) => e.value);
          if (value === undefined) expect(found).toEqual([]);
          else expect(found.length > 0 && found.every((v) => v === value)).toBe(true);
        }

        // comment lines survive unless they sat inside a setting that was changed or removed
        const comments = (doc: IniDocument, s: IniSection) => {
          const inTouched = (offset: number) =>
            s.entries.some((e) => touched.has(e.key.toLowerCase()) && offset >= e.start && offset < e.end);
          const found: string[] = [];
          for (let at = s.headerEnd; at < s.end; ) {
            const nl = doc.text.indexOf('\n', at);
            const end = nl === -1 || nl >= s.end ? s.end : nl + 1;
            const line = doc.text.slice(at, end).trim();
            if (isCommentLine(line) && !inTouched(at)) found.push(line);
            at = end;
          }
          return found;
        };
        expect(comments(after, edited!)).toEqual(comments(before, target));
      }),
      { numRuns: 800 },
      '~/.aws editor (test/store/iniEdit.property.test.ts)',
    );
  });
});

describe('parseIniDocument', () => {
  it('tiles the text: preamble, then sections end to end; entries inside their sections, in order', () => {
    assertFuzz(
      fc.property(awsFileText, (text) => {
        const doc = parseIniDocument(text);
        let at = doc.preamble.end;
        expect(doc.preamble.start).toBe(0);
        for (const s of doc.sections) {
          expect(s.start).toBe(at);
          expect(s.start).toBeLessThan(s.headerEnd);
          expect(s.headerEnd).toBeLessThanOrEqual(s.contentEnd);
          expect(s.contentEnd).toBeLessThanOrEqual(s.end);
          let last = s.headerEnd;
          for (const e of s.entries) {
            expect(e.start).toBeGreaterThanOrEqual(last);
            expect(e.end).toBeLessThanOrEqual(s.contentEnd);
            last = e.end;
          }
          at = s.end;
        }
        expect(at).toBe(text.length);
      }),
      { numRuns: 300 },
      '~/.aws editor (test/store/iniEdit.property.test.ts)',
    );
  });
});
