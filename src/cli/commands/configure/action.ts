import { isKnownFedloginKey, keysForeignTo } from '../../../config/profileKeys.js';
import { loadProfile } from '../../../config/profileSettings.js';
import { FLOW_NAMES, type FlowName } from '../../../config/profileValues.js';
import { usageError } from '../../../core/errors.js';
import { credentialProcessLine } from '../../../output/credentialProcessLine.js';
import { readAwsFile } from '../../../store/awsFileRead.js';
import { configFilePath, updateAwsFile } from '../../../store/awsFiles.js';
import { getSection } from '../../../store/iniDocument.js';
import { assertProfileName, setKeys, setSectionKeys } from '../../../store/iniEdit.js';
import type { CliContext } from '../../context.js';
import { launcherWords, nodeLauncherDeps } from '../../launcher.js';
import { parseChoice } from '../../parseOptions.js';
import { warnShadowedProfiles } from '../../shadowWarning.js';
import { hasTerminal } from '../../terminal.js';
import { type Asker, collectAnswers, profileUpdates } from './answers.js';
import { fieldsFor } from './fields.js';
import { describeWrite } from './summary.js';

export interface ConfigureOptions {
  flow?: string;
  nonInteractive?: boolean;
  [flag: string]: string | boolean | string[] | undefined;
}

export interface ConfigureDeps {
  /** undefined: nobody to ask */
  openAsker: () => Promise<{ asker: Asker; close(): void } | undefined>;
  /** the words that start this fedlogin from credential_process (launcher.ts) */
  launcher: (env: NodeJS.ProcessEnv) => string[];
}

const terminalDeps = (options: ConfigureOptions, context: CliContext): ConfigureDeps => ({
  async openAsker() {
    if (options.nonInteractive || !hasTerminal()) return undefined;
    return (await import('./prompts.js')).terminalAsker({ noColor: context.noColor, env: context.env });
  },
  launcher: (env) => launcherWords(nodeLauncherDeps(env)),
});

export async function runConfigure(
  options: ConfigureOptions,
  context: CliContext,
  deps: ConfigureDeps = terminalDeps(options, context),
): Promise<void> {
  const terminal = await deps.openAsker();
  try {
    await configure(options, context, terminal?.asker, deps.launcher(context.env));
  } finally {
    terminal?.close();
  }
}

async function configure(
  options: ConfigureOptions,
  context: CliContext,
  asker: Asker | undefined,
  launcher: string[],
): Promise<void> {
  const name =
    context.profile ??
    (asker
      ? (await asker.input({ message: 'Profile name', default: 'default', validate: profileNameProblem })).trim()
      : 'default');
  assertProfileName(name);
  const file = configFilePath(context.env);
  const existing = loadProfile(context.env, name)?.values ?? {};
  const commandLine = `fedlogin configure --profile ${name}`;

  const known =
    existing.fedlogin_flow && (FLOW_NAMES as readonly string[]).includes(existing.fedlogin_flow)
      ? (existing.fedlogin_flow as FlowName)
      : undefined;
  let flow: FlowName | undefined =
    options.flow !== undefined ? parseChoice(options.flow, FLOW_NAMES, '--flow') : undefined;
  if (!flow && asker)
    flow = (await asker.select({ message: 'Login flow', choices: FLOW_NAMES, default: known })) as FlowName;
  flow ??= known;
  if (!flow) {
    throw usageError(
      'CONFIGURE_VALUE_MISSING',
      `Missing --flow: which login flow profile ${name} uses (${FLOW_NAMES.join(', ')}).`,
      { hint: `Run: ${commandLine} --flow web-identity ...` },
    );
  }

  const fields = fieldsFor(flow);
  // sso: the start URL and region live in the profile's [sso-session NAME]; its values are the defaults
  const session = flow === 'sso' ? ssoSessionOf(file, options.ssoSession ?? existing.sso_session) : undefined;
  const answers = await collectAnswers({
    fields,
    flags: { ...options, region: context.region },
    existing: { ...session?.values, ...existing },
    asker,
    commandLine: `${commandLine} --flow ${flow}`,
  });
  const credentialProcess = credentialProcessLine(name, launcher);
  const fieldUpdates = profileUpdates(fields, answers, existing);
  // a profile changing flow keeps nothing of the old flow's (its region and non-fedlogin keys stay)
  const oldFlowKeys =
    existing.fedlogin_flow === flow
      ? []
      : keysForeignTo(flow, Object.keys(existing))
          .filter((key) => isKnownFedloginKey(key) && !fieldUpdates.some(([k]) => k === key))
          .map((key): [string, undefined] => [key, undefined]);
  const updates: [string, string | undefined][] = [
    ...(existing.fedlogin_flow === flow ? [] : [['fedlogin_flow', flow] as [string, string]]),
    ...fieldUpdates,
    ...oldFlowKeys,
    // the AWS tools sign in to IAM Identity Center natively from the shared token cache
    ...(existing.credential_process === credentialProcess || flow === 'sso'
      ? []
      : [['credential_process', credentialProcess] as [string, string]]),
  ];
  const changed = await updateAwsFile(
    file,
    'config',
    (text) => {
      const edited = setKeys(text, 'config', name, updates);
      return flow === 'sso'
        ? setSectionKeys(edited, `sso-session ${answers.sso_session}`, ssoSessionKeys(answers, session?.values))
        : edited;
    },
    { env: context.env },
  );
  context.logger.notice(describeWrite({ file, profile: name, flow, updates, changed, launcher }));
  warnShadowedProfiles(context);
}

function ssoSessionOf(file: string, name: unknown): { values: Record<string, string> } | undefined {
  if (typeof name !== 'string' || !name) return undefined;
  const values = getSection(readAwsFile(file), `sso-session ${name}`);
  return values ? { values } : undefined;
}

/** [sso-session NAME] as the AWS CLI writes it (scopes it already has are kept). */
function ssoSessionKeys(
  answers: Record<string, string | undefined>,
  before: Record<string, string> | undefined,
): [string, string | undefined][] {
  return [
    ['sso_start_url', answers.sso_start_url],
    ['sso_region', answers.sso_region],
    ['sso_registration_scopes', before?.sso_registration_scopes ?? 'sso:account:access'],
  ];
}

function profileNameProblem(value: string): true | string {
  try {
    assertProfileName(value.trim());
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}
