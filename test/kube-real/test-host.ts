/**
 * A test host: a network namespace of the test's own, joined to this machine by a veth
 * pair with private addresses (10.231.N.1 here, 10.231.N.2 there), torn down after. The
 * API server refuses to proxy to loopback, so a controller that kubeseal reaches through
 * the service proxy runs there. Traffic goes only to these two addresses.
 */
import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';

export interface TestHost {
  /** The namespace's name, for `ip netns exec`. */
  name: string;
  /** This machine's end. */
  hostAddress: string;
  /** The test host's address. */
  address: string;
  /** Forwards hostAddress:port (reachable from the test host) to 127.0.0.1:`targetPort`; resolves with the port. */
  forward(targetPort: number): Promise<number>;
  remove(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

function missingCapability(): string | undefined {
  if (process.getuid?.() !== 0) return 'making a network namespace needs root';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return "the 'ip' command (iproute2) with network namespaces is not available";
  }
  return undefined;
}

/** Why a test host cannot be made here, or undefined; in CI its absence fails the run. */
export function testHostSkipReason(): string | undefined {
  const reason = missingCapability();
  if (reason && process.env.CI === 'true') throw new Error(`CI requires a test host: ${reason}`);
  if (reason) console.warn(`skipped: ${reason}`);
  return reason;
}

export async function createTestHost(): Promise<TestHost> {
  const id = process.pid;
  const name = `sealkit-${id}`;
  const [hostEnd, hostEndOther] = [`skh${id}`, `skn${id}`];
  const subnet = `10.231.${id % 256}`;
  const [hostAddress, address] = [`${subnet}.1`, `${subnet}.2`];
  const forwarders: Server[] = [];
  const remove = async () => {
    await Promise.all(forwarders.map((server) => new Promise((resolve) => server.close(resolve))));
    try {
      ip('netns', 'del', name); // takes the veth pair with it
    } catch {
      // not made
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', hostEndOther);
    ip('link', 'set', hostEndOther, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostEnd);
    ip('link', 'set', hostEnd, 'up');
    ip('-n', name, 'addr', 'add', `${address}/30`, 'dev', hostEndOther);
    ip('-n', name, 'link', 'set', hostEndOther, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    name,
    hostAddress,
    address,
    forward(targetPort) {
      const server = createServer((socket) => {
        const upstream = connect(targetPort, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        const close = () => (socket.destroy(), upstream.destroy());
        socket.on('error', close);
        upstream.on('error', close);
      });
      forwarders.push(server);
      return new Promise((resolve, reject) => {
        server.listen(0, hostAddress, () => resolve((server.address() as { port: number }).port));
        server.on('error', reject);
      });
    },
    remove,
  };
}
