/**
 * Adversarial inputs for every function that runs a regular expression on remote input: SIP
 * parsing and validation (sip/syntax), SDP (sdp/, sdp-transform's grammar), the trace's ladder
 * reader and redaction (engine/trace), pcap SDP sniffing (engine/analyze) and media (SDES crypto,
 * DTMF INFO, address classification). Each input is a 64 KiB run of a character an expression
 * repeats (8 KiB and 64 KiB), placed where the expression reads it and followed by the character that makes it fail
 * (the shape that makes a backtracking engine quadratic). Used by the unit test (a generous time
 * bound) and by regex-bench.ts (the timings in README.md).
 */
import { parseMessage } from '../../src/main/sip/syntax/parser.ts';
import { parseUri } from '../../src/main/sip/syntax/uri.ts';
import { parseNameAddr } from '../../src/main/sip/syntax/name-addr.ts';
import { parseVia } from '../../src/main/sip/syntax/via.ts';
import { parseParams, parseParamsStrict } from '../../src/main/sip/syntax/params.ts';
import { parseCSeq } from '../../src/main/sip/syntax/cseq.ts';
import { checkRequest } from '../../src/main/sip/syntax/validate.ts';
import { StreamFramer } from '../../src/main/sip/syntax/framer.ts';
import { scanCallId } from '../../src/main/sip/syntax/header-scan.ts';
import type { SipRequest } from '../../src/main/sip/syntax/message.ts';
import { parseSdp } from '../../src/main/sdp/parse-sdp.ts';
import { parseCryptoLine } from '../../src/main/sdp/crypto-line.ts';
import { readTraceFields } from '../../src/main/engine/trace/trace-parse.ts';
import { Redactor, isIpv6 } from '../../src/main/engine/trace/redact.ts';
import { sdpEndpointsOf, parseSdpMedia } from '../../src/main/engine/analyze/sdp-sniff.ts';
import { callIdOfRaw } from '../../src/main/engine/stack/sip-stack.ts';
import { parseCryptoAttribute } from '../../src/main/media/srtp/sdes-crypto.ts';
import { parseDtmfInfo } from '../../src/main/media/dtmf/info.ts';
import { nonPublicReason } from '../../src/main/media/stats/ip-address.ts';

export interface AdversarialCase {
  name: string;
  inputs(): string[];
  run(input: string): void;
}

export const N = 64 * 1024;
/** Two sizes: a whole datagram, and one that fits the 16 KiB scan limits some readers apply. */
const SIZES = [8 * 1024, N];
/** Runs of the characters the expressions repeat. */
const FILLERS = [' ', '\t', 'a', '1', ':', '"', '@', '.', ';', '=', ',', '\\', 'f', '-', '\r\n ', 'i:'];
/** Each filler as a bare run ending in a control character, and between two letters (`x   y`). */
const runs = (wrap: (run: string) => string): string[] =>
  SIZES.flatMap((n) =>
    FILLERS.flatMap((f) => {
      const r = f.repeat(Math.ceil(n / f.length));
      return [wrap(`${r}\u0001`), wrap(`x${r}y`)];
    }),
  );

const msg = (head: string, body = ''): string =>
  `INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const tryIt = (f: () => unknown): void => {
  try {
    f();
  } catch {
    // refusing the input is fine; only the time counts
  }
};
const buf = (s: string): Buffer => Buffer.from(s, 'latin1');

export const ADVERSARIAL_CASES: AdversarialCase[] = [
  { name: 'header-scan Call-ID (i: + spaces, the reported ReDoS)', inputs: () => runs((r) => msg(`i:${r}x`)), run: (s) => void scanCallId(buf(s)) },
  { name: 'sip-stack callIdOfRaw', inputs: () => runs((r) => msg(`i:${r}`)), run: (s) => void callIdOfRaw(buf(s)) },
  { name: 'trace-parse readTraceFields (Call-ID, CSeq, start line)', inputs: () => [...runs((r) => msg(`i:${r}x\r\nCSeq: 1${r}`)), ...runs((r) => `SIP/2.0 200${r}\r\n\r\n`), ...runs((r) => `INVITE ${r} SIP/2.0\r\n`)], run: (s) => void readTraceFields(buf(s)) },
  { name: 'parser parseMessage (start line, headers, version)', inputs: () => [...runs((r) => msg(`X-A: ${r}`)), ...runs((r) => `INVITE sip:a${r} SIP/2.0\r\n\r\n`), ...runs((r) => `SIP/2.0 ${r}\r\n\r\n`), ...runs((r) => `SIP/${r}\r\n\r\n`)], run: (s) => tryIt(() => parseMessage(buf(s))) },
  { name: 'uri parseUri (scheme, host name, IPv6, tel number)', inputs: () => [...runs((r) => `sip:${r}`), ...runs((r) => `sip:u@${r}`), ...runs((r) => `sip:u@[${r}]`), ...runs((r) => `tel:${r}`), ...runs((r) => `${r}:x`), ...runs((r) => `sip:a@b;${r}`)], run: (s) => tryIt(() => parseUri(s)) },
  { name: 'name-addr parseNameAddr (display name words)', inputs: () => [...runs((r) => `${r} <sip:a@b>`), ...runs((r) => `"${r} <sip:a@b>`)], run: (s) => tryIt(() => parseNameAddr(s)) },
  { name: 'via parseVia', inputs: () => [...runs((r) => `SIP/2.0/UDP ${r}`), ...runs((r) => `SIP/2.0/UDP h;branch=${r}`)], run: (s) => tryIt(() => parseVia(s)) },
  { name: 'params parseParams / parseParamsStrict (token, gen-value)', inputs: () => runs((r) => `;a=${r};b`), run: (s) => { tryIt(() => parseParams(s)); tryIt(() => parseParamsStrict(s)); } },
  { name: 'cseq parseCSeq', inputs: () => runs((r) => `1${r}INVITE`), run: (s) => tryIt(() => parseCSeq(s)) },
  {
    name: 'validate checkRequest (digits, SIP date, headers)',
    inputs: () => [...runs((r) => msg(`Call-ID: a\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nMax-Forwards: 7${r}\r\nDate: Mon, 01 Jan 2024 ${r}`)), ...runs((r) => msg(`Call-ID: a\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nExpires: ${r}`))],
    run: (s) => tryIt(() => checkRequest(parseMessage(buf(s)) as SipRequest, { rfc2543: true })),
  },
  { name: 'framer StreamFramer (header lines)', inputs: () => runs((r) => msg(`X-A: ${r}`)), run: (s) => tryIt(() => new StreamFramer({ maxHeaderBytes: 256 * 1024 }).push(buf(s))) },
  {
    name: 'sdp parseSdp (sdp-transform grammar: rtpmap, fmtp, crypto, candidate, ptime)',
    inputs: () => [
      ...runs((r) => `v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 ${r}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n`),
      ...runs((r) => `v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 ${r}\r\na=rtpmap:0 ${r}\r\na=fmtp:0 ${r}\r\na=ptime:${r}\r\na=crypto:1 ${r}\r\na=candidate:${r}\r\na=${r}\r\n`),
      ...runs((r) => `v=0\r\n${r}\r\n`),
    ],
    run: (s) => void parseSdp(s),
  },
  { name: 'sdp crypto-line parseCryptoLine', inputs: () => runs((r) => `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${r}`), run: (s) => void parseCryptoLine(s) },
  { name: 'redact Redactor.message (digest, secrets, bearer, headers, names, URIs, hosts, addresses, numbers)', inputs: () => [...runs((r) => msg(`X-Token: ${r}\r\nAuthorization: Digest username=${r}, response="${r}`, `v=0\r\nc=IN IP4 ${r}\r\n`)), ...runs((r) => msg(`From: "${r}" <sip:${r}@${r}>`)), ...runs((r) => `${r}`)], run: (s) => void new Redactor().message(s) },
  { name: 'redact isIpv6', inputs: () => runs((r) => r), run: (s) => void isIpv6(s) },
  { name: 'analyze sdpEndpointsOf / parseSdpMedia (start line, Call-ID, m=, c=)', inputs: () => [...runs((r) => msg(`i:${r}\r\nCall-ID: ${r}`, `v=0\r\nc=IN IP4 ${r}\r\nm=audio ${r}\r\n`)), ...runs((r) => `INVITE ${r} SIP/2.0\r\n\r\n`)], run: (s) => { sdpEndpointsOf(buf(s), 1); parseSdpMedia(s, 1, 'INVITE'); } },
  { name: 'media parseCryptoAttribute (SDES)', inputs: () => runs((r) => `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${r}|2^20|1:4 ${r}`), run: (s) => void parseCryptoAttribute(s) },
  { name: 'media parseDtmfInfo', inputs: () => runs((r) => `Signal=${r}\r\nDuration=${r}`), run: (s) => { parseDtmfInfo('application/dtmf-relay', s); parseDtmfInfo('application/dtmf', s); } },
  { name: 'media nonPublicReason (address classes)', inputs: () => [...runs((r) => r), ...runs((r) => `fc${r}`), ...runs((r) => `::ffff:${r}`)], run: (s) => void nonPublicReason(s) },
];
