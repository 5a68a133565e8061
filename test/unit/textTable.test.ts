import { describe, expect, it } from 'vitest';
import { displayWidth, padEndColumns, textTable } from '../../src/output/textTable.js';

describe('displayWidth: terminal columns, not UTF-16 units', () => {
  it.each([
    ['', 0],
    ['dev', 3],
    ['本番', 4], // CJK ideographs: East Asian Wide
    ['개발', 4], // Hangul syllables
    ['テスト', 6], // katakana
    ['ｐｒｏｄ', 8], // fullwidth Latin
    ['ﾃｽﾄ', 3], // halfwidth katakana: narrow
    ['café', 4],
    ['cafe\u0301', 4], // e + combining acute
    ['𠀋', 2], // CJK extension B, outside the BMP (two UTF-16 units)
    ['🚀', 2],
    ['👩‍💻', 2], // a ZWJ sequence is one grapheme
    ['a\u200bb', 2], // zero width space
    ['Ünïcödé', 7],
  ])('%j takes %i columns', (text, columns) => {
    expect(displayWidth(text)).toBe(columns);
  });

  it('pads by columns', () => {
    expect(padEndColumns('本番', 6)).toBe('本番  ');
    expect(padEndColumns('dev', 6)).toBe('dev   ');
    expect(padEndColumns('toolong', 3)).toBe('toolong');
  });
});

describe('textTable', () => {
  it('aligns every column on screen whatever the width of the characters', () => {
    const text = textTable([
      ['PROFILE', 'FLOW'],
      ['本番環境', 'saml'],
      ['dev', 'oidc'],
    ]);
    expect(text).toBe('PROFILE   FLOW\n本番環境  saml\ndev       oidc\n');
    // the second column starts at the same terminal column on every line
    const starts = text
      .trimEnd()
      .split('\n')
      .map((line) => displayWidth(line.slice(0, line.search(/(FLOW|saml|oidc)$/))));
    expect(new Set(starts).size).toBe(1);
  });

  it('trims trailing spaces and handles no rows', () => {
    expect(
      textTable([
        ['a', ''],
        ['bb', 'x'],
      ]),
    ).toBe('a\nbb  x\n');
    expect(textTable([])).toBe('');
  });
});
