/**
 * A seeded mutation fuzzer over the project's SIP fixtures (test/fixtures/sip/**: the RFC 4475
 * torture messages) and a few everyday requests, for the standing abuse suite and bench/abuse.
 *
 * Datagram i is a pure function of (seed, i, the sender's port): bit flips, byte inserts and
 * deletes, truncation, header duplication and chunk repetition applied to one corpus message, so
 * a failure is replayed with the same seed (`TRUNKSCOPE_FUZZ_SEED`).
 *
 * Safety: every Via of a corpus message is replaced by one naming the fuzzer's own socket (with
 * rport), so the target's responses come back to 127.0.0.x and never follow a fixture's address
 * (a Via `maddr` would otherwise send them anywhere, RFC 3261 §18.2.2).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, type Random } from '../../src/shared/seeded-random.ts';
import { repoRoot } from './cli.ts';

/** Largest datagram sent (an IPv4 UDP payload is at most 65 507 bytes). */
const MAX_DATAGRAM = 65_000;
const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x25, 0x2c, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x40, 0x5c, 0x7f, 0x80, 0xff];

/** The seed to use: $TRUNKSCOPE_FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env['TRUNKSCOPE_FUZZ_SEED'];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return (Math.random() * 2 ** 32) >>> 0;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : f.endsWith('.dat') || f.endsWith('.sip') ? [p] : [];
    });
}

const everyday = (method: string, extra = '', body = ''): string =>
  `${method} sip:echo@127.0.0.1 SIP/2.0\r\nVia: x\r\nMax-Forwards: 70\r\nFrom: <sip:fuzz@127.0.0.1>;tag=f1\r\nTo: <sip:echo@127.0.0.1>\r\n` +
  `Call-ID: fuzz-everyday\r\nCSeq: 1 ${method}\r\nContact: <sip:fuzz@127.0.0.1>\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

const EVERYDAY = [
  everyday('OPTIONS', 'Accept: application/sdp\r\n'),
  everyday('REGISTER', 'Expires: 3600\r\nAuthorization: Digest username="a", realm="r", nonce="n", uri="sip:127.0.0.1", response="00000000000000000000000000000000"\r\n'),
  everyday('BYE'),
  everyday('CANCEL'),
  everyday('ACK'),
  everyday('INFO', 'Content-Type: application/dtmf-relay\r\n', 'Signal=5\r\nDuration=160\r\n'),
  everyday('MESSAGE', 'Content-Type: text/plain\r\n', 'hello'),
  everyday('SUBSCRIBE', 'Event: presence\r\nExpires: 60\r\n'),
  everyday('NOTIFY', 'Event: dialog\r\nSubscription-State: active\r\n'),
  everyday('INVITE', 'Content-Type: application/sdp\r\nSession-Expires: 90\r\n', 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n'),
  'SIP/2.0 200 OK\r\nVia: x\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>;tag=2\r\nCall-ID: fuzz-response\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
];

/**
 * The corpus: each message's Via headers (and their folded continuation lines) replaced by the
 * `{{via}}` placeholder and its Call-ID given a `{{n}}` suffix, so every datagram is a new
 * transaction and a new Call-ID.
 */
export function loadCorpus(dir = join(repoRoot, 'test', 'fixtures', 'sip')): string[] {
  const raw = [...files(dir).map((f) => readFileSync(f, 'latin1')), ...EVERYDAY];
  return raw.map((text) => {
    const split = /\r?\n\r?\n/.exec(text);
    const head = split ? text.slice(0, split.index) : text;
    const rest = split ? text.slice(split.index) : '';
    const lines = head.split(/\r?\n/);
    const out: string[] = [lines[0]!, '{{via}}'];
    let skipping = false;
    for (const line of lines.slice(1)) {
      if (/^[ \t]/.test(line) && skipping) continue;
      skipping = /^(via|v)[ \t]*:/i.test(line);
      if (skipping) continue;
      out.push(/^(call-id|i)[ \t]*:/i.test(line) ? `${line.replace(/[ \t]+$/, '')}.{{n}}` : line);
    }
    return out.join('\r\n') + rest;
  });
}

/** One to four mutations of `msg`. */
export function mutate(msg: Buffer, rnd: Random): Buffer {
  let b = msg;
  const int = (n: number): number => Math.floor(rnd() * n);
  const ops = 1 + int(4);
  for (let k = 0; k < ops && b.length > 0; k++) {
    const at = int(b.length);
    switch (int(6)) {
      case 0: {
        b = Buffer.from(b);
        b[at] = b[at]! ^ (1 << int(8));
        break;
      }
      case 1: {
        const byte = rnd() < 0.7 ? INTERESTING[int(INTERESTING.length)]! : int(256);
        b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
        break;
      }
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(8))]);
        break;
      case 3:
        b = b.subarray(0, at);
        break;
      case 4: {
        // Duplicate one header line 1..64 times (right after itself).
        const text = b.toString('latin1');
        const start = text.lastIndexOf('\r\n', at) + 2;
        const end = text.indexOf('\r\n', at);
        if (start < 2 || end < 0) break;
        const line = text.slice(start, end + 2);
        b = Buffer.from(text.slice(0, end + 2) + line.repeat(1 + int(64)) + text.slice(end + 2), 'latin1');
        break;
      }
      default: {
        // Repeat a chunk of up to 64 bytes up to 400 times.
        const chunk = b.subarray(at, at + 1 + int(64));
        b = Buffer.concat([b.subarray(0, at), ...Array.from({ length: 1 + int(400) }, () => chunk), b.subarray(at)]);
      }
    }
  }
  return b.length > MAX_DATAGRAM ? b.subarray(0, MAX_DATAGRAM) : b;
}

/**
 * Datagram `i` for `seed`: a corpus message with the sender's Via and a unique branch and Call-ID,
 * mutated (one in ten is sent as it is, so valid messages reach the deeper layers too).
 */
export function fuzzDatagram(corpus: string[], seed: number, i: number, via: { host: string; port: number }): Buffer {
  const rnd = seededRandom((seed + Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const base = corpus[Math.floor(rnd() * corpus.length)]!;
  // The port padded to five digits (1*DIGIT allows leading zeros) keeps lengths, and so the
  // mutation offsets, the same whichever port the sender got.
  const viaLine = `Via: SIP/2.0/UDP ${via.host}:${String(via.port).padStart(5, '0')};branch=z9hG4bKfz${seed.toString(36)}x${i};rport`;
  const msg = Buffer.from(base.replace('{{via}}', viaLine).replaceAll('{{n}}', `${seed.toString(36)}-${i}`), 'latin1');
  return rnd() < 0.1 ? msg : mutate(msg, rnd);
}
