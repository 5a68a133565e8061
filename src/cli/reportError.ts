import { isFedloginError } from '../core/errors.js';
import { escapeControlLines } from '../core/escapeControl.js';
import { redact } from '../core/logger.js';

export interface ReportOptions {
  debug: boolean;
  redact?: (text: string) => string;
  write?: (text: string) => void;
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current = (error as { cause?: unknown })?.cause;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const e = current as { name?: string; message?: string; stack?: string };
    lines.push(`caused by: ${e.stack ?? `${e.name ?? 'Error'}: ${e.message ?? String(current)}`}`);
    current = (current as { cause?: unknown }).cause;
  }
  return lines;
}

/**
 * One line for the person (plus a hint line), no stack trace unless --debug; a bug (anything
 * that is not a FedloginError) says so and asks for a report.
 */
export function reportError(error: unknown, options: ReportOptions): void {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const lines: string[] = [];
  if (isFedloginError(error)) {
    lines.push(`fedlogin: ${error.message}`);
    if (error.hint) lines.push(`  ${error.hint}`);
  } else {
    const e = error as { message?: string };
    lines.push(`fedlogin: internal error: ${e?.message ?? String(error)}`);
    lines.push('  This is a bug in fedlogin; please report it with the output of the same command run with --debug.');
  }
  if (options.debug) {
    const e = error as { stack?: string; code?: string };
    if (e?.stack) lines.push(e.stack);
    if (isFedloginError(error)) lines.push(`code: ${error.code}`);
    lines.push(...causeChain(error));
  }
  const clean = options.redact ?? ((text: string) => redact(text, []));
  // a message or a cause may quote a service or an IdP: nothing in it may act on the terminal or CI log
  write(escapeControlLines(clean(lines.join('\n'))) + '\n');
}
