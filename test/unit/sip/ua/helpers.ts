import { FakeClock } from '../../../support/fake-clock.ts';
import { MemoryNetwork, settle, type MemoryTransport } from '../../../support/memory-transport.ts';
import { UserAgent } from '../../../../src/main/sip/ua/user-agent.ts';
import { parseUri } from '../../../../src/main/sip/syntax/uri.ts';
import { MinimalMedia } from '../../../support/minimal-media.ts';

export interface Pair {
  clock: FakeClock;
  net: MemoryNetwork;
  alice: UserAgent;
  bob: UserAgent;
  aliceT: MemoryTransport;
  bobT: MemoryTransport;
  media(): MinimalMedia;
  /** Advance fake time in steps, letting async work run between steps. */
  run(ms: number, step?: number): Promise<void>;
}

export function pair(): Pair {
  const clock = new FakeClock();
  const net = new MemoryNetwork();
  const aliceT = net.node('10.0.0.1');
  const bobT = net.node('10.0.0.2');
  const resolve = async (text: string, proto: 'udp' | 'tcp' | 'tls') => {
    const u = parseUri(text);
    return [{ proto, remote: { address: u.host, port: u.port ?? 5060 } }];
  };
  const mk = (t: MemoryTransport, user: string) =>
    new UserAgent({ transport: t, clock, resolve, defaultProto: 'udp', contactUser: user });
  return {
    clock,
    net,
    aliceT,
    bobT,
    alice: mk(aliceT, 'alice'),
    bob: mk(bobT, 'bob'),
    media: () => new MinimalMedia('10.0.0.9'),
    async run(ms, step = 50) {
      for (let t = 0; t < ms; t += step) {
        await settle();
        clock.advance(step);
      }
      await settle();
    },
  };
}
