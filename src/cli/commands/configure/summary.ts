import type { FlowName } from '../../../config/profileValues.js';

export interface WriteSummary {
  file: string;
  profile: string;
  flow: FlowName;
  updates: readonly (readonly [string, string | undefined])[];
  changed: boolean;
}

/** What configure wrote and the command to run next, for stderr. Pure; no value written is a secret. */
export function describeWrite(summary: WriteSummary): string {
  const { file, profile, flow, updates, changed } = summary;
  const section = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const lines = changed
    ? [
        `Wrote ${section} in ${file}:`,
        ...updates.map(([key, value]) => (value === undefined ? `  - ${key} (removed)` : `  ${key} = ${value}`)),
      ]
    : [`${section} in ${file} already has these settings; nothing changed.`];
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
