import { readFileSync, statSync } from 'node:fs';
import { systemClock } from '../../../core/clock.js';
import { colourWanted } from '../../../core/colour.js';
import { isExecutableFile } from '../../../core/executableFile.js';
import { cacheDir } from '../../../store/cacheDir.js';
import { probeKeychain } from '../../../store/keychainStore.js';
import type { CliContext } from '../../context.js';
import { nodeLauncherDeps } from '../../launcher.js';
import { profileStatuses } from '../../profileStatus.js';
import { doctorExitCode } from './check.js';
import { fetchProbe } from './httpProbe.js';
import { formatJson, formatReport } from './report.js';
import { type DoctorDeps, runDoctor } from './runDoctor.js';

export interface DoctorOptions {
  json?: boolean;
  /** --no-color (a global option) */
  noColor: boolean;
}

/** How long a service may take to answer before doctor calls it unreachable. */
const DOCTOR_TIMEOUT_MS = 3000;
const KEYCHAIN_PROBE_TIMEOUT_MS = 1500;

function fileMode(file: string): number | undefined {
  try {
    return statSync(file).mode;
  } catch {
    return undefined;
  }
}

function nodeDoctorDeps(context: CliContext): DoctorDeps {
  return {
    env: context.env,
    profile: context.profile,
    regionFlag: context.region,
    platform: process.platform,
    now: () => systemClock.now(),
    probe: fetchProbe,
    timeoutMs: DOCTOR_TIMEOUT_MS,
    isExecutable: isExecutableFile,
    launcher: nodeLauncherDeps(context.env),
    readText: (file) => readFileSync(file, 'utf8'),
    probeKeychain: () => probeKeychain(KEYCHAIN_PROBE_TIMEOUT_MS),
    cacheDir: cacheDir(context.env),
    fileMode,
    async cachedState(profile) {
      const [status] = await profileStatuses({ ...context, profile: profile.name });
      return status
        ? { state: status.state, expiration: status.expiration, store: status.store }
        : { state: 'none', expiration: null, store: '-' };
    },
  };
}

/** Prints the report on stdout (it is the command's output) and returns the exit code: 2 when a check failed. */
export async function runDoctorCommand(
  options: DoctorOptions,
  context: CliContext,
  deps: DoctorDeps = nodeDoctorDeps(context),
): Promise<number> {
  const checks = await runDoctor(deps);
  const colour = colourWanted(process.stdout, { noColor: options.noColor, env: context.env });
  context.stdout(context.logger.redact(options.json ? formatJson(checks) : formatReport(checks, { colour })));
  return doctorExitCode(checks);
}
