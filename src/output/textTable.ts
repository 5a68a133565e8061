/**
 * Plain-text tables for a terminal, aligned by the columns a cell takes on screen rather than by
 * its length in UTF-16 units: East Asian Wide and Fullwidth characters (CJK, Hangul, kana,
 * fullwidth forms) and emoji take two columns, combining marks and format characters none. Pure.
 */

/** Code points East Asian Width W or F (Unicode 15, UAX #11), as [first, last] ranges. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f251],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const EMOJI = /\p{Emoji_Presentation}|\uFE0F/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

function isWide(codePoint: number): boolean {
  return WIDE.some(([first, last]) => codePoint >= first && codePoint <= last);
}

let segmenter: Intl.Segmenter | undefined;

/** How many terminal columns `text` takes (no control characters: escape them first). */
export function displayWidth(text: string): number {
  // ASCII, the usual case, is one column a character
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (ZERO_WIDTH.test(segment)) continue;
    width += isWide(segment.codePointAt(0)!) || EMOJI.test(segment) ? 2 : 1;
  }
  return width;
}

/** `text` followed by spaces up to `columns` terminal columns. */
export function padEndColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}

/** Rows of cells as aligned columns two spaces apart, trailing spaces trimmed, one line per row. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => displayWidth(row[i] ?? '')))) ?? [];
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => padEndColumns(cell, widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
