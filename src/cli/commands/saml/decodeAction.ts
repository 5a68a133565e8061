import { systemClock } from '../../../core/clock.js';
import { terminalJson } from '../../../core/escapeControl.js';
import { parseAccountAliases } from '../../../flows/saml/accountAliases.js';
import { assertionFileSource } from '../../../flows/saml/assertionFile.js';
import { checkAssertion } from '../../../flows/saml/checkAssertion.js';
import { assertionSummary, formatAssertionTable } from '../../../flows/saml/describeAssertion.js';
import { parseSamlResponse } from '../../../flows/saml/parseAssertion.js';
import type { CliContext } from '../../context.js';

export interface SamlDecodeOptions {
  /** a file with the base64 SAMLResponse, or '-' for stdin */
  file: string;
  json?: boolean;
  check: boolean;
  accountAliases?: string | undefined;
}

/** `fedlogin saml decode [F|-]`: the assertion's facts, checked as STS would check them. */
export async function runSamlDecode(options: SamlDecodeOptions, context: CliContext): Promise<void> {
  const aliases = parseAccountAliases(options.accountAliases, '--account-aliases');
  const { samlResponse } = await assertionFileSource(options.file).get();
  context.logger.addSecret(samlResponse);
  const info = parseSamlResponse(samlResponse);
  const now = systemClock.now();
  if (options.check) checkAssertion(info, now);
  context.stdout(
    options.json
      ? terminalJson(assertionSummary(info, aliases, now), 2) + '\n'
      : formatAssertionTable(info, aliases, now),
  );
}
