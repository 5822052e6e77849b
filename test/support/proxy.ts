// A TCP proxy between a client and PostgreSQL that can go silent: it stops
// forwarding on the connections it holds without closing them (no FIN, no RST),
// as a NAT or load balancer that dropped the flow does, and it can turn new
// connections away. Connections are told apart by their startup message, which
// carries the client's application_name.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export type StartupMatch = (startup: string) => boolean;

export interface StallingProxy {
  /** The database URL, through the proxy. */
  url: string;
  /** Stops forwarding, both ways, on the open connections that match (all by default); their sockets stay open. */
  stall(match?: StartupMatch): void;
  /** Closes new connections that match as soon as they send their startup message (null: accept all again). */
  refuse(match: StartupMatch | null): void;
  close(): Promise<void>;
}

/** Matches the connections of one application_name. */
export const application = (name: string): StartupMatch => (startup) => startup.includes(`application_name\u0000${name}\u0000`);

export async function startProxy(databaseUrl: string): Promise<StallingProxy> {
  const target = new URL(databaseUrl);
  const links = new Set<{ inbound: Socket; outbound: Socket; startup: string }>();
  let refused: StartupMatch | null = null;

  const server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    const link = { inbound, outbound, startup: '' };
    links.add(link);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      links.delete(link);
    };
    for (const socket of [inbound, outbound]) socket.on('error', drop).on('close', drop);
    inbound.once('data', (first: Buffer) => {
      link.startup = first.toString('latin1');
      if (refused?.(link.startup)) {
        drop();
        return;
      }
      outbound.write(first);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  return {
    url: url.toString(),
    stall(match = () => true) {
      for (const { inbound, outbound, startup } of links) {
        if (!match(startup)) continue;
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
      }
    },
    refuse(match) {
      refused = match;
    },
    close: () => new Promise((resolve) => {
      for (const { inbound, outbound } of links) {
        inbound.destroy();
        outbound.destroy();
      }
      server.close(() => resolve());
    }),
  };
}
