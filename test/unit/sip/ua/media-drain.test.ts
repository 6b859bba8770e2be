/**
 * The end of a call waits for the media handler's drain (issue 10 item 9): RTP still in flight
 * when the BYE crossed it is counted before the call is reported ended; the drain is bounded.
 */
import { describe, expect, it } from 'vitest';
import { InviteClient } from '../../../../src/main/sip/ua/invite-client.ts';
import { InviteServer } from '../../../../src/main/sip/ua/invite-server.ts';
import type { MinimalMedia } from '../../../support/minimal-media.ts';
import { pair } from './helpers.ts';

/** A media handler whose drain takes `ms` of fake time (or never ends when undefined). */
function draining<M extends MinimalMedia>(m: M, p: ReturnType<typeof pair>, ms: number | undefined, log: string[], who: string): M {
  return Object.assign(m, {
    drain: () =>
      new Promise<void>((resolve) => {
        log.push(`${who} drain`);
        if (ms !== undefined) p.clock.setTimer(ms, () => (log.push(`${who} drained`), resolve()));
      }),
  });
}

describe('media drain at the end of a call', () => {
  for (const [label, ms, endsBy] of [
    ['a 200 ms drain', 200, 200],
    ['a drain that never ends is cut at 1 s', undefined, 1000],
  ] as const) {
    it(`${label}: both sides report ended only after it, dated at the BYE`, async () => {
      const p = pair();
      const log: string[] = [];
      let server: InviteServer | undefined;
      p.bob.on('invite', (req, tx, flow) => {
        server = new InviteServer(p.bob, draining(p.media(), p, ms, log, 'bob'), req, tx, flow, { sessionExpires: 0, minSE: 90 });
        server.on('ended', () => log.push('bob ended'));
        server.answer();
      });
      const call = new InviteClient(p.alice, draining(p.media(), p, ms, log, 'alice'), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
      call.on('ended', () => log.push('alice ended'));
      await call.start();
      await p.run(300);
      expect(call.state).toBe('connected');
      const byeAt = p.clock.now();
      void call.hangup();
      await p.run(endsBy - 100, 10);
      expect(log).toEqual(['bob drain', 'alice drain']); // both draining, neither ended yet
      await p.run(300, 10);
      expect(log.filter((l) => l.endsWith('ended'))).toEqual(['bob ended', 'alice ended']);
      expect(call.endedAt).toBe(byeAt);
      expect(server!.endedAt! - byeAt).toBeLessThan(20);
      expect(call.end?.reason).toMatch(/BYE 200/);
    });
  }
});
