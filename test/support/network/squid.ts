import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../harness/freePort.js';
import { killGroup } from '../harness/processGroup.js';

/**
 * Debian's squid as the corporate proxy, a child of the test on 127.0.0.1: its own config, logs,
 * pid file and service name (squid names its shared-memory segments after it, so several squids
 * on one machine do not clash), resolving names only from its own hosts_file (dns_nameservers
 * 127.0.0.1, where nothing answers: nothing leaves the machine). Two ports: `open` (no
 * authentication) and, with `users`, `auth` (Basic, basic_ncsa_auth and an htpasswd file). Started
 * in its own process group, ready when its stderr says it accepts connections on both ports (no
 * sleep), killed with its group on close, on a failed start and when the test process exits.
 * Run as root, squid refuses to keep root ("Don't run Squid as root"): it is then told
 * `cache_effective_user proxy` and its folder is given to that user.
 */

export interface SquidOptions {
  /** a private folder for the config, logs and password file (the lab's temporary folder) */
  dir: string;
  /** name -> IPv4 address, squid's only name resolution */
  hosts: Record<string, string>;
  /** user -> password for the Basic-authentication port; no auth port without it */
  users?: Record<string, string>;
  /** readiness bound; default 20 s */
  startTimeoutMs?: number;
}

export interface ProxyLogEntry {
  /** seconds since the epoch, as squid logs it */
  time: number;
  client: string;
  /** squid's result code, e.g. TCP_TUNNEL, TCP_DENIED, TCP_MISS */
  result: string;
  status: number;
  method: string;
  /** host:port for CONNECT, the URL (query stripped) otherwise */
  url: string;
  /** the Basic-authentication user, or '-' */
  user: string;
  /** the address squid connected to, or '-' */
  peer: string;
}

export interface Squid {
  /** http://127.0.0.1:PORT, the port without authentication */
  url: string;
  port: number;
  /** http://127.0.0.1:PORT of the Basic-authentication port (without credentials) */
  authUrl: string | undefined;
  accessLogFile: string;
  /** access.log as it is now, parsed */
  log(): Promise<ProxyLogEntry[]>;
  close(): Promise<void>;
}

const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';
/** runs "$@" (squid) and stops it with SIGTERM when stdin (a pipe from the test) ends */
const WATCHDOG = 'exec 3<&0; "$@" 3<&- </dev/null & s=$!; { read -r _ <&3; kill -TERM "$s" 2>/dev/null; } & wait "$s"';
export const SQUID_LOG_FORMAT = 'lab %ts.%03tu %>a %Ss/%03>Hs %rm %ru %un %<a';

export async function startSquid(opts: SquidOptions): Promise<Squid> {
  const asRoot = process.getuid?.() === 0;
  const hostsFile = path.join(opts.dir, 'squid.hosts');
  writeFileSync(
    hostsFile,
    `${Object.entries(opts.hosts)
      .map(([name, ip]) => `${ip} ${name}`)
      .join('\n')}\n`,
  );
  const passwordFile = path.join(opts.dir, 'squid.passwd');
  if (opts.users) writePasswords(passwordFile, opts.users);
  if (asRoot) giveToProxyUser(opts.dir);

  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  let lastError: unknown;
  // A free port can be taken between our probe and squid's bind; try a few pairs.
  for (let attempt = 0; attempt < 3 && Date.now() < deadline; attempt++) {
    const port = await freePort();
    const authPort = opts.users ? await freePort() : undefined;
    const configFile = path.join(opts.dir, 'squid.conf');
    writeFileSync(
      configFile,
      squidConfig({
        dir: opts.dir,
        port,
        authPort,
        hostsFile,
        passwordFile,
        effectiveUser: asRoot ? 'proxy' : undefined,
      }),
    );
    if (asRoot) giveToProxyUser(opts.dir);
    try {
      return await launch({ dir: opts.dir, configFile, port, authPort, deadline });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function squidConfig(o: {
  dir: string;
  port: number;
  authPort: number | undefined;
  hostsFile: string;
  passwordFile: string;
  effectiveUser: string | undefined;
}): string {
  const lines = [
    `http_port 127.0.0.1:${o.port} name=open`,
    ...(o.authPort === undefined ? [] : [`http_port 127.0.0.1:${o.authPort} name=auth`]),
    ...(o.effectiveUser ? [`cache_effective_user ${o.effectiveUser}`] : []),
    `pid_filename ${path.join(o.dir, 'squid.pid')}`,
    `logformat ${SQUID_LOG_FORMAT}`,
    `access_log stdio:${path.join(o.dir, 'access.log')} lab`,
    `cache_log ${path.join(o.dir, 'cache.log')}`,
    'cache_store_log none',
    `coredump_dir ${o.dir}`,
    'cache deny all',
    `hosts_file ${o.hostsFile}`,
    // Nothing answers DNS on 127.0.0.1: a name outside hosts_file fails, and no query leaves the machine.
    'dns_nameservers 127.0.0.1',
    'dns_timeout 2 seconds',
    'netdb_filename none',
    'pinger_enable off',
    'icp_port 0',
    'htcp_port 0',
    'via off',
    'shutdown_lifetime 0 seconds',
    'connect_timeout 10 seconds',
    'acl SSL_ports port 443',
    'acl CONNECT method CONNECT',
    'acl open_port myportname open',
    'http_access deny CONNECT !SSL_ports',
  ];
  if (o.authPort !== undefined) {
    lines.push(
      `auth_param basic program ${NCSA_AUTH} ${o.passwordFile}`,
      'auth_param basic realm fedlogin test proxy',
      'auth_param basic children 2 startup=1 idle=1',
      'acl auth_port myportname auth',
      'acl authenticated proxy_auth REQUIRED',
      'http_access allow auth_port authenticated',
    );
  }
  lines.push('http_access allow open_port', 'http_access deny all', '');
  return lines.join('\n');
}

function writePasswords(file: string, users: Record<string, string>): void {
  let first = true;
  for (const [user, password] of Object.entries(users)) {
    // -i: the password on stdin, never on a command line; -m: apr1 MD5, which basic_ncsa_auth reads
    execFileSync('htpasswd', [...(first ? ['-c'] : []), '-i', '-m', file, user], {
      input: password,
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    first = false;
  }
}

function proxyUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('proxy:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) throw new Error("squid runs as root and needs the 'proxy' user, which is missing");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function giveToProxyUser(dir: string): void {
  const { uid, gid } = proxyUserIds();
  chownSync(dir, uid, gid);
  for (const name of readdirSync(dir)) chownSync(path.join(dir, name), uid, gid);
}

async function launch(o: {
  dir: string;
  configFile: string;
  port: number;
  authPort: number | undefined;
  deadline: number;
}): Promise<Squid> {
  const serviceName = `fedlogin${randomBytes(4).toString('hex')}`;
  // squid under a small sh that holds a pipe from this process: when the test process dies without
  // running its hooks (a killed worker), the pipe ends and the shell stops squid, so no squid outlives
  // its test. The shell leads the process group that close() signals.
  const child: ChildProcess = spawn(
    'sh',
    ['-c', WATCHDOG, 'squid-watchdog', 'squid', '-N', '-d', '1', '-n', serviceName, '-f', o.configFile],
    {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  const killOnExit = () => {
    killGroup(child, 'SIGKILL');
    removeSharedMemory(serviceName);
  };
  process.once('exit', killOnExit);
  let stderr = '';
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
  });
  const close = async () => {
    process.off('exit', killOnExit);
    // The end of stdin is the watchdog's cue: it sends squid SIGTERM and exits once squid has (so
    // `exited` means squid is gone); SIGKILL for the whole group if that takes too long.
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      if (!(await within(exited, 5000))) {
        killGroup(child, 'SIGKILL');
        await within(exited, 3000);
      }
    }
    removeSharedMemory(serviceName);
  };

  const ports = [o.port, ...(o.authPort === undefined ? [] : [o.authPort])];
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
      if (/FATAL|commBind|Cannot bind/i.test(stderr)) reject(new Error(`squid failed to start: ${tail(stderr)}`));
      const accepting = ports.every((p) =>
        new RegExp(`Accepting HTTP Socket connections at \\S+ local=127\\.0\\.0\\.1:${p}\\b`).test(stderr),
      );
      if (accepting) resolve();
    });
    void exited.then((why) => reject(new Error(`squid ${why} before accepting connections: ${tail(stderr)}`)));
    const timer = setTimeout(
      () => reject(new Error(`squid did not accept connections within the bound: ${tail(stderr)}`)),
      Math.max(0, o.deadline - Date.now()),
    );
    timer.unref();
  });
  try {
    await ready;
  } catch (error) {
    await close();
    throw error;
  }
  // squid keeps writing its debug lines to stderr; keep draining it so it never blocks.
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();

  const accessLogFile = path.join(o.dir, 'access.log');
  return {
    url: `http://127.0.0.1:${o.port}`,
    port: o.port,
    authUrl: o.authPort === undefined ? undefined : `http://127.0.0.1:${o.authPort}`,
    accessLogFile,
    async log() {
      let text = '';
      try {
        text = await readFile(accessLogFile, 'utf8');
      } catch {
        return [];
      }
      return parseAccessLog(text);
    },
    close,
  };
}

/** Parses access.log lines written with SQUID_LOG_FORMAT. */
export function parseAccessLog(text: string): ProxyLogEntry[] {
  const entries: ProxyLogEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const [result, status] = (f[2] ?? '').split('/');
    entries.push({
      time: Number(f[0]),
      client: f[1] ?? '',
      result: result ?? '',
      status: Number(status),
      method: f[3] ?? '',
      url: f[4] ?? '',
      user: f[5] ?? '-',
      peer: f[6] ?? '-',
    });
  }
  return entries;
}

function removeSharedMemory(serviceName: string): void {
  try {
    for (const name of readdirSync('/dev/shm')) {
      if (name.startsWith(`${serviceName}-`)) rmSync(path.join('/dev/shm', name), { force: true });
    }
  } catch {
    // no /dev/shm: nothing to clean
  }
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join(' | ');
}

function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
}
