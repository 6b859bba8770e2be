/**
 * A TCP relay on 127.0.0.1 in front of the web shell, so a test can take the browser's link to the
 * engine away and give it back the way a network does: `cut()` drops every open connection,
 * `refuse(true)` resets new ones at once (the WebSocket handshake fails), `refuse(false)` relays
 * again. The engine keeps running throughout.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroy every relayed connection (both sides). */
  cut(): void;
  refuse(on: boolean): void;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  const cut = (): void => {
    for (const [a, b] of [...pairs]) {
      a.resetAndDestroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    port: address.port,
    cut,
    refuse: (on) => {
      refusing = on;
    },
    accepted: () => accepted,
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
