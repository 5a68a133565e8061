import type { FlowName } from '../../../config/profileValues.js';

export interface WriteSummary {
  file: string;
  profile: string;
  flow: FlowName;
  updates: readonly (readonly [string, string | undefined])[];
  changed: boolean;
  /** the words credential_process starts fedlogin with (['fedlogin'] when it is on PATH) */
  launcher?: readonly string[];
}

/** What configure wrote and the command to run next, for stderr. Pure; no value written is a secret. */
export function describeWrite(summary: WriteSummary): string {
  const { file, profile, flow, updates, changed, launcher = ['fedlogin'] } = summary;
  const section = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const lines = changed
    ? [
        `Wrote ${section} in ${file}:`,
        ...updates.map(([key, value]) => (value === undefined ? `  - ${key} (removed)` : `  ${key} = ${value}`)),
      ]
    : [`${section} in ${file} already has these settings; nothing changed.`];
  if (launcher.length !== 1 || launcher[0] !== 'fedlogin')
    lines.push(
      '',
      `credential_process names this fedlogin by its path (${launcher.join(' ')}): there is no \`fedlogin\` on PATH, or it is another installation.`,
      'Once this fedlogin is on PATH (installed, or a symlink named fedlogin), run configure again to write the bare name.',
    );
  const person = flow === 'saml' || flow === 'oidc';
  lines.push(
    '',
    person
      ? `Next: sign in once with  fedlogin login --profile ${profile}`
      : `Next: try it with  fedlogin login --profile ${profile}`,
    `Then the AWS tools use it:  aws sts get-caller-identity --profile ${profile}`,
    `Check the setup any time:  fedlogin doctor --profile ${profile}`,
  );
  return lines.join('\n');
}
