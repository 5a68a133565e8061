/**
 * A QR code for a phone's camera, drawn in the terminal with Unicode half blocks (two modules a
 * character row; light modules as blocks, so it reads on the usual dark background). uqr is loaded
 * here, with import(), only when a QR code is drawn.
 */

/** Light modules around the code: enough quiet zone for phone cameras, in half the usual four. */
export const QR_BORDER = 2;

/** The width assumed when the terminal does not say (the classic 80 columns). */
const DEFAULT_COLUMNS = 80;

/** The drawing, or undefined when it would not fit `columns` (or the text is too long for a QR code). */
export async function terminalQr(text: string, columns: number | undefined): Promise<string | undefined> {
  const { renderUnicodeCompact } = await import('uqr');
  let drawing: string;
  try {
    drawing = renderUnicodeCompact(text, { border: QR_BORDER });
  } catch {
    return undefined;
  }
  const width = drawing.split('\n')[0]!.length;
  return width <= (columns || DEFAULT_COLUMNS) ? drawing : undefined;
}
