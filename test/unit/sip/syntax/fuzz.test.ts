// Seeded fuzzing: mutated RFC 4475 messages and header values may only ever raise SipParseError
// (DESIGN.md: bad input never crashes). Deterministic: a fixed seed per test.
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import { serializeMessage } from '../../../../src/main/sip/syntax/serializer.ts';
import { SipParseError } from '../../../../src/main/sip/syntax/message.ts';
import { checkRequest, validateResponse } from '../../../../src/main/sip/syntax/validate.ts';
import { formatUri, parseUri } from '../../../../src/main/sip/syntax/uri.ts';
import { formatNameAddr, parseNameAddr } from '../../../../src/main/sip/syntax/name-addr.ts';
import { parseVia } from '../../../../src/main/sip/syntax/via.ts';
import { parseCSeq } from '../../../../src/main/sip/syntax/cseq.ts';
import { allTortureNames, torture } from './fixtures.ts';
import { seededRandom as mulberry32 } from '../../../../src/shared/seeded-random.ts';


const INSERTS = ['\r', '\n', '\r\n', '\0', '"', ':', ';', ',', '<', '>', '@', '%', '\\', ' ', '\t', '\r\n ', '=', '?', '[', ']', '\u00ff', '\ud800'];

function mutateBytes(data: Buffer, rnd: () => number): Buffer {
  const pick = (n: number): number => Math.floor(rnd() * n);
  let out = data;
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(out.length + 1);
    switch (pick(6)) {
      case 0: {
        out = Buffer.from(out);
        if (out.length > 0) out[Math.min(at, out.length - 1)] = pick(256);
        break;
      }
      case 1:
        out = out.subarray(0, at);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), Buffer.from(INSERTS[pick(INSERTS.length)]!), out.subarray(at)]);
        break;
      case 3: {
        // Duplicate a line.
        const s = out.lastIndexOf(10, at) + 1;
        const e = out.indexOf(10, at);
        const line = out.subarray(s, e < 0 ? out.length : e + 1);
        out = Buffer.concat([out.subarray(0, s), line, line, out.subarray(s + line.length)]);
        break;
      }
      case 4:
        out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + pick(20)))]);
        break;
      default:
        out = Buffer.from(out.toString('latin1').replace(/\r\n/g, rnd() < 0.5 ? '\n' : '\r\n\t'), 'latin1');
    }
  }
  return out;
}

function mutateString(s: string, rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  let out = s;
  for (let r = 1 + pick(3); r > 0; r--) {
    const at = pick(out.length + 1);
    const op = pick(3);
    if (op === 0) out = out.slice(0, at) + INSERTS[pick(INSERTS.length)]! + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1 + pick(5));
    else out = out.slice(0, at);
  }
  return out;
}

/** Run fn; anything thrown must be a SipParseError that is not the parser's internal safety net. */
function onlyParseErrors<T>(fn: () => T, input: unknown): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SipParseError) || e.message.startsWith('internal')) {
      throw new Error(`non-SipParseError for ${JSON.stringify(input)}: ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
    }
    return undefined;
  }
}

const names = allTortureNames();
const corpus = names.map(torture);

describe('fuzzing (seeded)', () => {
  it('parseMessage, validation and serialization never throw anything but SipParseError', () => {
    const rnd = mulberry32(0x5eed4475);
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      const input = mutateBytes(corpus[i % corpus.length]!, rnd);
      const msg = onlyParseErrors(() => parseMessage(input), input.toString('latin1'));
      if (msg === undefined) {
        refused++;
        continue;
      }
      parsed++;
      if (msg.type === 'request') {
        const verdict = checkRequest(msg);
        expect(verdict?.reason ?? '').not.toMatch(/^malformed request:/);
        onlyParseErrors(() => parseUri(msg.uri), msg.uri);
      } else {
        expect(validateResponse(msg) ?? '').not.toMatch(/^malformed response:/);
      }
      for (const v of msg.headers.getAll('via')) onlyParseErrors(() => parseVia(v), v);
      for (const key of ['to', 'from', 'contact', 'route', 'record-route']) {
        for (const v of msg.headers.getAll(key)) onlyParseErrors(() => parseNameAddr(v), v);
      }
      const cseq = msg.headers.get('cseq');
      if (cseq !== undefined) onlyParseErrors(() => parseCSeq(cseq), cseq);
      // Whatever parsed serializes and parses again.
      expect(parseMessage(serializeMessage(msg)).type).toBe(msg.type);
    }
    // The mutations hit both sides: some inputs still parse, some are refused.
    expect(parsed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(500);
  });

  it('parseUri, parseNameAddr, parseVia and parseCSeq only throw SipParseError on mutated values', () => {
    const rnd = mulberry32(20060501);
    const values: string[] = [];
    for (const data of corpus) {
      const m = onlyParseErrors(() => parseMessage(data), '');
      if (m === undefined) continue;
      for (const f of m.headers.fields) values.push(f.value);
      if (m.type === 'request') values.push(m.uri);
    }
    values.push('sip:user@[2001:db8::10]:5060;transport=tcp?X-Foo=bar&Subject=x', '"A \\"B\\"" <sips:%00@h;lr>;tag=1', '*');
    let ok = 0;
    for (let i = 0; i < 8000; i++) {
      const v = mutateString(values[i % values.length]!, rnd);
      const uri = onlyParseErrors(() => parseUri(v), v);
      if (uri !== undefined) {
        ok++;
        // A URI we accept formats to one we accept again, with the same meaning.
        expect(parseUri(formatUri(uri))).toEqual(uri);
      }
      const na = onlyParseErrors(() => parseNameAddr(v), v);
      if (na !== undefined) expect(parseNameAddr(formatNameAddr(na))).toEqual(na);
      onlyParseErrors(() => parseVia(v), v);
      onlyParseErrors(() => parseCSeq(v), v);
    }
    expect(ok).toBeGreaterThan(100);
  });
});
