/**
 * Parse throughput on one core: msgs/s for parseMessage() on a typical ~870-byte trunk INVITE,
 * next to a minimal split-only parser (the floor of what any parser must do) and jssip's full
 * parser (which parses every known header through its PEG grammar), measured in the same run.
 *
 *   npx node bench/parse/run.ts [seconds-per-round]
 */
import { createRequire } from 'node:module';
import { parseMessage } from '../../src/main/sip/syntax/parser.ts';

const sdp = [
  'v=0',
  'o=- 3912345678 3912345678 IN IP4 203.0.113.10',
  's=Trunkscope',
  'c=IN IP4 203.0.113.10',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const head = [
  'INVITE sip:+14155550123@trunk.example.com:5060;transport=udp SIP/2.0',
  'Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bK-524287-1---77ba5b9a1d2e3f40;rport',
  'Max-Forwards: 70',
  'Contact: <sip:+14085550199@203.0.113.10:5060;transport=udp>',
  'To: <sip:+14155550123@trunk.example.com>',
  'From: "Trunkscope Test" <sip:+14085550199@trunk.example.com>;tag=8d3f2a91',
  'Call-ID: 2c1a7e0b9f4d4c2a8e6b1d3f5a7c9e0b@203.0.113.10',
  'CSeq: 1 INVITE',
  'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, UPDATE, PRACK',
  'Supported: replaces, timer, 100rel',
  'Session-Expires: 1800;refresher=uac',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(sdp)}`,
  '',
  '',
].join('\r\n');
const INVITE = Buffer.from(head + sdp);

/** The floor: split header section from body, lines on CRLF, names from values on the colon. */
function splitOnly(data: Buffer): { start: string; headers: Array<[string, string]>; body: Buffer } {
  const end = data.indexOf('\r\n\r\n');
  const lines = data.toString('latin1', 0, end).split('\r\n');
  const headers: Array<[string, string]> = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    const c = l.indexOf(':');
    headers.push([l.slice(0, c), l.slice(c + 1).trim()]);
  }
  return { start: lines[0]!, headers, body: data.subarray(end + 4) };
}

type Parse = () => unknown;

function loadJssip(): Parse | undefined {
  try {
    const require = createRequire(import.meta.url);
    const parser = require('jssip/lib/Parser.js') as { parseMessage(data: string, ua: unknown): unknown };
    const text = INVITE.toString('utf8');
    if (parser.parseMessage(text, {}) === undefined) return undefined;
    // jssip works on strings, so the Buffer → string decode is part of its cost, as for ours.
    return () => parser.parseMessage(INVITE.toString('utf8'), {});
  } catch {
    return undefined;
  }
}

let sink = 0;
function rate(fn: Parse, seconds: number): number {
  for (let i = 0; i < 2000; i++) sink += fn() === undefined ? 0 : 1; // warm-up
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    const stop = t0 + BigInt(Math.round(seconds * 1e9));
    let t = t0;
    while (t < stop) {
      for (let i = 0; i < 500; i++) sink += fn() === undefined ? 0 : 1;
      n += 500;
      t = process.hrtime.bigint();
    }
    best = Math.max(best, n / (Number(t - t0) / 1e9));
  }
  return best;
}

const seconds = Number(process.argv[2] ?? 1);
const cases: Array<[string, Parse | undefined]> = [
  ['split-only baseline', () => splitOnly(INVITE)],
  ['parseMessage (ours)', () => parseMessage(INVITE)],
  ['jssip Parser.parseMessage', loadJssip()],
];
const results: Array<[string, number | undefined]> = cases.map(([name, fn]) => [name, fn ? rate(fn, seconds) : undefined]);
const ours = results[1]![1]!;
console.log(`INVITE size: ${INVITE.length} bytes; best of 3 rounds of ${seconds}s; node ${process.version}`);
console.log('| parser | msgs/s | ours ÷ this |');
console.log('| --- | ---: | ---: |');
for (const [name, r] of results) {
  console.log(`| ${name} | ${r === undefined ? 'not loadable' : Math.round(r).toLocaleString('en-US')} | ${r === undefined ? '-' : (ours / r).toFixed(2)} |`);
}
if (sink < 0) console.log(sink);
