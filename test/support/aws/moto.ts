import { spawn } from 'node:child_process';
import { freePort } from '../harness/freePort.js';
import { killGroup } from '../harness/processGroup.js';
import { forSuite } from '../harness/suite.js';

/**
 * moto_server on 127.0.0.1, for interop on the happy path (it does not validate tokens or
 * signatures; use stsEndpoint.ts for that). Runs in its own process group, so close() also stops
 * the pyenv shim's python child; a process 'exit' hook kills it if a test forgets.
 */

export interface Moto {
  /** http://127.0.0.1:PORT */
  url: string;
  /** clears moto's state (POST /moto-api/reset) */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface StartMotoOptions {
  /** executable, default 'moto_server' from PATH */
  command?: string;
  /** how long to wait for it to answer HTTP; default 15 s */
  startTimeoutMs?: number;
}

export async function startMoto(opts: StartMotoOptions = {}): Promise<Moto> {
  const command = opts.command ?? 'moto_server';
  const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
  let lastError: unknown;
  // A free port can be taken between our probe and moto's bind; try a few.
  for (let attempt = 0; attempt < 3 && Date.now() < deadline; attempt++) {
    const port = await freePort();
    try {
      return await launch(command, port, deadline);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function launch(command: string, port: number, deadline: number): Promise<Moto> {
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
  });
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    killGroup(child, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!stopped) {
      killGroup(child, 'SIGKILL');
      await Promise.race([exited, sleep(2000)]);
    }
  };

  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      exited.then((why) => ({ exited: why })),
      fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) }).then(
        () => ({ ready: true as const }),
        () => ({ ready: false as const }),
      ),
    ]);
    if ('exited' in outcome) {
      process.off('exit', killOnExit);
      throw new Error(`moto_server ${outcome.exited} before answering on ${url}: ${stderr.trim()}`);
    }
    if (outcome.ready) {
      return {
        url,
        async reset() {
          const res = await fetch(`${url}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(5000) });
          if (!res.ok) throw new Error(`moto reset answered HTTP ${res.status}`);
        },
        close,
      };
    }
    await sleep(100);
  }
  await close();
  throw new Error(`moto_server did not answer on ${url} in time: ${stderr.trim()}`);
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * moto_server for the describe block this is called in: started in its beforeAll, stopped in its
 * afterAll. Read `url` inside the tests (it is there from beforeAll on).
 */
export function motoForSuite(opts: StartMotoOptions = {}): Moto {
  return forSuite(
    'moto_server',
    () => startMoto(opts),
    (moto) => moto.close(),
  );
}
