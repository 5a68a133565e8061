import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { proxyPasswords } from '../../../src/aws/network/proxyUrl.js';

/**
 * The secret-leak scan ("Hardening", part 2). Test servers register every secret they hand out as
 * they hand it out; runCli / spawnCli register every fedlogin run (argv, HOME, environment, and its
 * stdout/stderr). The checks, run by test/support/harness/leakScanSetup.ts after each test:
 *
 * - stderr (people's channel, --debug included) carries no registered secret of any kind;
 * - stdout (machine output) carries no token: AWS credentials are its job (credential-process JSON,
 *   env exports, ...), JWTs, SAMLResponses, refresh tokens and CI request tokens never are;
 * - the fedlogin child's argv carries no registered secret, unless the CLI refused the run as a
 *   usage error (exit 2): those are the tests that a token on the command line is refused;
 * - every file the run created or changed under its HOME (and the AWS/GitHub files it points at),
 *   outside the secret stores (the file cache, the keychain, browser profiles), carries no token;
 *   AWS credentials only in the designed destinations: ~/.aws/credentials when the run asked for
 *   credentials-file output (or the profile has fedlogin_write_credentials), $GITHUB_ENV/_OUTPUT.
 *
 * State is per module instance, that is per vitest worker and test file (vitest isolates files).
 * `LeakRegistry` is exported so the scanner's own unit test can use a private instance.
 */

/** 'aws': a secret access key or session token; 'token': JWTs, SAMLResponses, OAuth and CI tokens */
export type SecretKind = 'aws' | 'token';
export type LeakPlace = 'stderr' | 'stdout' | 'argv' | 'file';

export interface Leak {
  place: LeakPlace;
  kind: SecretKind;
  /** who issued the secret */
  source: string;
  /** the secret, shortened for messages */
  preview: string;
  /** the fedlogin argv of the run, secrets replaced */
  run: string;
  /** for place 'file' */
  file?: string;
}

export interface LeakFigures {
  runsScanned: number;
  secretsTracked: number;
  filesScanned: number;
  leaksFound: number;
  /** tokens on argv of runs the CLI refused with exit 2 (tests of that refusal): not leaks */
  refusedOnArgv: number;
  /** time the scan itself took (snapshots, reads, matching), for the overhead budget */
  scanMs: number;
}

interface Secret {
  value: string;
  kind: SecretKind;
  sources: Set<string>;
  /** substrings any copy of the secret contains (the secret, its URL-encoded form, a JWT's signature) */
  needles: string[];
}

export interface RunInfo {
  /** the argv of the fedlogin child after the node binary (node flags, script, CLI args) */
  argv: string[];
  home: string;
  env: Record<string, string>;
}

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunHandle {
  /** while the run goes: how to read its output so far (streaming runs) */
  watch(output: { stdout(): string; stderr(): string }): void;
  /** at exit, before its HOME may be removed: records the outcome and scans the files it wrote */
  finish(outcome: RunOutcome): Promise<void>;
}

interface RunRecord extends RunInfo {
  id: number;
  stdout(): string;
  stderr(): string;
  code: number | null | undefined;
  finished: boolean;
  before: Map<string, string>;
  fileLeaks: Leak[];
  fileScan?: Promise<void>;
  reported: Set<string>;
}

/** Secrets shorter than this are not tracked (too likely to occur by chance). */
const MIN_SECRET = 16;
/** Bounds of the HOME walk. */
const MAX_FILES = 2000;
const MAX_DEPTH = 10;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Folders never walked: package caches and dependency trees tests may keep in a HOME. */
const SKIPPED_NAMES = new Set(['node_modules', '.npm', 'ms-playwright']);

export class LeakRegistry {
  private readonly secrets = new Map<string, Secret>();
  private readonly pending: RunRecord[] = [];
  private nextRunId = 1;
  /** path -> signature of the version scanned last, so unchanged files are read once */
  private readonly scannedFiles = new Map<string, string>();
  private readonly figures = { runsScanned: 0, filesScanned: 0, leaksFound: 0, refusedOnArgv: 0, scanMs: 0 };

  register(value: string | undefined | null, kind: SecretKind, source: string): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET) return;
    const known = this.secrets.get(value);
    if (known) {
      known.sources.add(source);
      // a value registered as both is treated as the stricter kind
      if (kind === 'token') known.kind = 'token';
      return;
    }
    const needles = new Set([value]);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) needles.add(encoded);
    const jwtSignature = /^[\w-]+\.[\w-]+\.([\w-]{32,})$/.exec(value)?.[1];
    if (jwtSignature) needles.add(jwtSignature);
    this.secrets.set(value, { value, kind, sources: new Set([source]), needles: [...needles] });
  }

  /** Starts tracking a run; takes a snapshot of its HOME (synchronously, before the child starts). */
  startRun(info: RunInfo): RunHandle {
    const started = performance.now();
    // a proxy password in the run's environment (HTTPS_PROXY=http://user:PASSWORD@...) is a secret
    // like any other: never on stderr (--debug included), stdout, argv or in a file
    for (const password of proxyPasswords(info.env))
      this.register(password, 'token', 'a proxy password in the environment of the run');
    const run: RunRecord = {
      ...info,
      id: this.nextRunId++,
      stdout: () => '',
      stderr: () => '',
      code: undefined,
      finished: false,
      before: snapshot(fileRoots(info)),
      fileLeaks: [],
      reported: new Set(),
    };
    this.pending.push(run);
    this.figures.scanMs += performance.now() - started;
    return {
      watch: (output) => {
        run.stdout = output.stdout;
        run.stderr = output.stderr;
      },
      finish: (outcome) => {
        run.code = outcome.code;
        run.stdout = () => outcome.stdout;
        run.stderr = () => outcome.stderr;
        run.finished = true;
        run.fileScan = this.scanFiles(run).catch(() => {
          // a HOME removed under us is the test's business; nothing to scan
        });
        return run.fileScan;
      },
    };
  }

  /**
   * Scans the runs registered since the last call against every secret registered so far and
   * returns the leaks. Runs still going are scanned as far as they got and stay pending.
   */
  async check(): Promise<Leak[]> {
    const runs = this.pending.splice(0);
    await Promise.all(runs.map((r) => r.fileScan));
    const started = performance.now();
    const leaks: Leak[] = [];
    for (const run of runs) {
      const found = [...this.scanRunText(run), ...run.fileLeaks.splice(0)];
      for (const leak of found) {
        const key = `${leak.place}|${leak.file ?? ''}|${leak.preview}`;
        if (run.reported.has(key)) continue;
        run.reported.add(key);
        leaks.push(leak);
      }
      if (run.finished) this.figures.runsScanned++;
      else this.pending.push(run);
    }
    this.figures.leaksFound += leaks.length;
    this.figures.scanMs += performance.now() - started;
    return leaks;
  }

  /**
   * Scans the command line of a process that is not a fedlogin run (a browser fedlogin started,
   * read from /proc/PID/cmdline) against every secret registered so far; returns the leaks.
   */
  checkArgv(argv: readonly string[], what: string): Leak[] {
    const leaks = this.find(argv.join('\0')).map(
      (secret): Leak => ({
        place: 'argv',
        kind: secret.kind,
        source: [...secret.sources].join(', '),
        preview: `${secret.value.slice(0, 12)}…(${secret.value.length} chars)`,
        run: `(${what}) ${this.redact(argv.join(' '))}`,
      }),
    );
    this.figures.leaksFound += leaks.length;
    return leaks;
  }

  counts(): LeakFigures {
    return { ...this.figures, secretsTracked: this.secrets.size };
  }

  /** The secrets found in `text`, of the given kinds (exported for tests and ad-hoc checks). */
  find(text: string, kinds: readonly SecretKind[] = ['aws', 'token']): Secret[] {
    if (text.length < MIN_SECRET) return [];
    const hits: Secret[] = [];
    for (const secret of this.secrets.values()) {
      if (!kinds.includes(secret.kind)) continue;
      if (secret.needles.some((n) => text.includes(n))) hits.push(secret);
    }
    return hits;
  }

  /** `text` with every registered secret replaced, for messages. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets.values()) for (const n of secret.needles) out = out.split(n).join('[secret]');
    return out;
  }

  private leak(run: RunRecord, place: LeakPlace, secret: Secret, file?: string): Leak {
    return {
      place,
      kind: secret.kind,
      source: [...secret.sources].join(', '),
      preview: `${secret.value.slice(0, 12)}…(${secret.value.length} chars)`,
      run: this.redact(run.argv.slice(run.argv.findIndex((a) => /fedlogin(\.js)?$/.test(a)) + 1).join(' ')),
      ...(file === undefined ? {} : { file }),
    };
  }

  private scanRunText(run: RunRecord): Leak[] {
    const leaks: Leak[] = [];
    // `::add-mask::SECRET` lines are GitHub workflow commands that hide SECRET from the job log
    // (env --format github-env prints them on stderr): the one place a secret belongs on stderr
    const stderr = run.stderr().replace(/^::add-mask::.*$/gm, '');
    for (const s of this.find(stderr)) leaks.push(this.leak(run, 'stderr', s));
    for (const s of this.find(run.stdout(), ['token'])) leaks.push(this.leak(run, 'stdout', s));
    const argvHits = this.find(run.argv.join('\0'));
    if (argvHits.length > 0 && run.finished && run.code === 2) this.figures.refusedOnArgv += argvHits.length;
    else if (run.finished) for (const s of argvHits) leaks.push(this.leak(run, 'argv', s));
    return leaks;
  }

  private async scanFiles(run: RunRecord): Promise<void> {
    const started = performance.now();
    try {
      await this.scanChangedFiles(run);
    } finally {
      this.figures.scanMs += performance.now() - started;
    }
  }

  private async scanChangedFiles(run: RunRecord): Promise<void> {
    const after = snapshot(fileRoots(run));
    const awsAllowed = awsDestinations(run);
    for (const [file, signature] of after) {
      if (run.before.get(file) === signature) continue; // not written by this run
      if (this.scannedFiles.get(file) === signature) continue; // this version was scanned already
      this.scannedFiles.set(file, signature);
      let text: string;
      try {
        if ((await stat(file)).size > MAX_FILE_BYTES) continue;
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      this.figures.filesScanned++;
      const kinds: SecretKind[] = awsAllowed.has(file) ? ['token'] : ['aws', 'token'];
      for (const s of this.find(text, kinds)) run.fileLeaks.push(this.leak(run, 'file', s, file));
    }
  }
}

/** HOME plus the files the run's environment points outside it. */
function fileRoots(run: RunInfo): { roots: string[]; skip: Set<string> } {
  const env = run.env;
  const home = run.home;
  const cache = env.XDG_CACHE_HOME || path.join(home, '.cache');
  const data = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const skip = new Set([
    path.join(cache, 'fedlogin'), // the file store: the secret store by design
    path.join(data, 'fedlogin', 'browser'), // browser profiles: IdP cookies by design
    path.join(data, 'fedlogin', 'console'), // console --isolated profiles: the browser's history and cookies
    path.join(data, 'keyrings'), // a Secret Service's (gnome-keyring) files
    path.join(home, '.aws', 'sso', 'cache'), // IAM Identity Center's token cache (shared with the AWS tools) by design
  ]);
  const roots = [home];
  for (const name of ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH']) {
    const file = env[name];
    if (file && path.isAbsolute(file) && !isInside(file, home)) roots.push(file);
  }
  return { roots, skip };
}

/** Files where AWS credentials are the designed content for this run. */
function awsDestinations(run: RunRecord): Set<string> {
  const allowed = new Set<string>();
  for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT']) if (run.env[name]) allowed.add(path.resolve(run.env[name]!));
  const credentials = run.env.AWS_SHARED_CREDENTIALS_FILE || path.join(run.home, '.aws', 'credentials');
  const config = run.env.AWS_CONFIG_FILE || path.join(run.home, '.aws', 'config');
  // --output credentials-file (saml --all-roles too: a credentials profile per role) writes there;
  // plain --all-roles writes ~/.aws/config profiles, which must hold no credential
  let writesCredentials = run.argv.some((a) => a === 'credentials-file' || a === '--output=credentials-file');
  if (!writesCredentials) {
    try {
      // only a regular file: a FIFO planted there by a test would block this read for ever
      writesCredentials =
        statSync(config).isFile() &&
        /^\s*fedlogin_write_credentials\s*=\s*true\s*$/im.test(readFileSync(config, 'utf8'));
    } catch {
      // no config
    }
  }
  if (writesCredentials) allowed.add(path.resolve(credentials));
  return allowed;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** path -> "mtime:size:ino" of every regular file under the roots, bounded. Synchronous on purpose. */
function snapshot({ roots, skip }: { roots: string[]; skip: Set<string> }): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (p: string, depth: number) => {
    if (files.size >= MAX_FILES || skip.has(p)) return;
    let st;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch {
      return;
    }
    if (!st) return;
    if (st.isFile()) {
      files.set(p, `${st.mtimeMs}:${st.size}:${st.ino}`);
      return;
    }
    if (!st.isDirectory() || depth >= MAX_DEPTH || SKIPPED_NAMES.has(path.basename(p))) return;
    let names: string[];
    try {
      names = readdirSync(p);
    } catch {
      return;
    }
    for (const name of names) visit(path.join(p, name), depth + 1);
  };
  for (const root of roots) visit(path.resolve(root), 0);
  return files;
}

/** The registry of this worker (test file). */
export const leakScan = new LeakRegistry();

/** Called by the test servers for every secret they issue, as they issue it. */
export function registerSecret(value: string | undefined | null, kind: SecretKind, source: string): void {
  leakScan.register(value, kind, source);
}

export function formatLeaks(leaks: Leak[]): string {
  return [
    `secret leak scan: ${leaks.length} leak${leaks.length === 1 ? '' : 's'}`,
    ...leaks.map(
      (l) =>
        `- ${l.kind === 'aws' ? 'AWS credential' : 'token'} from ${l.source} in ${l.place}${l.file ? ` ${l.file}` : ''}: ${l.preview}\n  run: fedlogin ${l.run}`,
    ),
  ].join('\n');
}
