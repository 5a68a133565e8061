/**
 * Who is on the other end of a loopback TCP connection. On Linux the kernel lists every TCP socket
 * of the network namespace, with its owner's uid, in /proc/net/tcp: the client's socket is the row
 * whose local end is the connection's remote end. A loopback listener (the one-shot redirect)
 * uses it to answer only its own user; elsewhere (macOS, Windows) the owner cannot be told and
 * the answer is `undefined`.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

interface Endpoint {
  address: string;
  port: number;
}

/** 127.0.0.1:8080 as /proc/net/tcp writes it: 0100007F:1F90 (the address in host byte order, little-endian here). */
function procEndpoint({ address, port }: Endpoint): string | undefined {
  const octets = address.replace(/^::ffff:/i, '').split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
  const ip = octets
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('');
  return `${ip}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}

/**
 * The uid owning the IPv4 socket whose local end is `local` and remote end is `remote`, read from
 * the text of /proc/net/tcp (pure); undefined when no row matches.
 */
export function tcpSocketUid(table: string, local: Endpoint, remote: Endpoint): number | undefined {
  const localKey = procEndpoint(local);
  const remoteKey = procEndpoint(remote);
  if (!localKey || !remoteKey) return undefined;
  for (const line of table.split('\n').slice(1)) {
    // sl local rem st tx:rx tr:when retrnsmt uid ...
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    if (fields[1]?.toUpperCase() === localKey && fields[2]?.toUpperCase() === remoteKey && /^\d+$/.test(fields[7]!))
      return Number(fields[7]);
  }
  return undefined;
}

/** The uid of the process that opened this accepted loopback connection; undefined when it cannot be told. */
export function loopbackPeerUid(
  socket: Socket,
  readTable: () => string = () => readFileSync('/proc/net/tcp', 'utf8'),
): number | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
  let table: string;
  try {
    table = readTable();
  } catch {
    return undefined;
  }
  return tcpSocketUid(table, { address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort });
}

/**
 * False only when the connection provably comes from another user: a process of a different uid
 * (root included, it can read the secret anyway by other means, but has no business here).
 */
export function fromThisUser(
  socket: Socket,
  peerUid: (socket: Socket) => number | undefined = loopbackPeerUid,
): boolean {
  const mine = process.getuid?.();
  if (mine === undefined) return true;
  const theirs = peerUid(socket);
  return theirs === undefined || theirs === mine;
}
