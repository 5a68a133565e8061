/** One line of `fedlogin doctor`: what was checked, how it went, and what to do about it. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** stable, for scripts: config-file, settings, browser, secret-store, idp-reachable, sts-reachable, clock-skew, ... */
  id: string;
  /** the profile the check is about, when it is about one */
  profile?: string | undefined;
  status: CheckStatus;
  message: string;
  /** the next thing to do; null when there is nothing to do */
  fix: string | null;
  /** the chain check of a chained profile: profile -> source -> ... -> the flow's profile, then the hops */
  chain?: ChainDetails | undefined;
}

export interface ChainDetails {
  /** outermost first: the profile, its source, ..., the profile whose flow signs in */
  profiles: string[];
  flow: string;
  /** in call order; whether each has an external ID (its value is not repeated) */
  hops: { profile: string; roleArn: string; externalId: boolean }[];
}

export const ok = (id: string, message: string, profile?: string): Check => ({
  id,
  profile,
  status: 'ok',
  message,
  fix: null,
});
export const warn = (id: string, message: string, fix: string | null, profile?: string): Check => ({
  id,
  profile,
  status: 'warn',
  message,
  fix,
});
export const fail = (id: string, message: string, fix: string | null, profile?: string): Check => ({
  id,
  profile,
  status: 'fail',
  message,
  fix,
});

/** exit 2 when any check fails (the setup needs a change), else 0; warnings do not fail. */
export function doctorExitCode(checks: readonly Check[]): number {
  return checks.some((c) => c.status === 'fail') ? 2 : 0;
}
