import type { Command } from 'commander';
import type { LazyAction } from '../lazyAction.js';
import { registerCognito } from './cognito/command.js';
import { registerCompletion } from './completion/command.js';
import { registerConfigure } from './configure/command.js';
import { registerConsole } from './console/command.js';
import { registerCredentialProcess } from './credentialProcess/command.js';
import { registerDoctor } from './doctor/command.js';
import { registerEnv } from './env/command.js';
import { registerExec } from './exec/command.js';
import { registerLogin } from './login/command.js';
import { registerLogout } from './logout/command.js';
import { registerOidc } from './oidc/command.js';
import { registerSaml } from './saml/command.js';
import { registerServe } from './serve/command.js';
import { registerSso } from './sso/command.js';
import { registerStatus } from './status/command.js';
import { registerWebIdentity } from './webIdentity/command.js';

/** Adds a command (its flags, help and lazily loaded action) to the program. */
export type RegisterCommand = (program: Command, lazyAction: LazyAction) => void;

/** Every command, in the order `fedlogin --help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerLogin,
  registerWebIdentity,
  registerSaml,
  registerOidc,
  registerCognito,
  registerSso,
  registerCredentialProcess,
  registerEnv,
  registerExec,
  registerServe,
  registerConsole,
  registerStatus,
  registerLogout,
  registerCompletion,
  registerConfigure,
  registerDoctor,
];
