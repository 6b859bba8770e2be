import { describe, expect, it } from 'vitest';
import { FramingError, StreamFramer, type FramerOutput } from '../../../../src/main/sip/syntax/framer.ts';

const MSG1 =
  'INVITE sip:bob@example.com SIP/2.0\r\n' +
  'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n' +
  'Call-ID: a@b\r\n' +
  'CSeq: 1 INVITE\r\n' +
  'Content-Type: application/sdp\r\n' +
  'Content-Length: 12\r\n' +
  '\r\n' +
  'v=0\r\no=x\r\n\r\n';
const MSG2 = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK2\r\nl: 0\r\n\r\n';

function messages(out: FramerOutput[]): string[] {
  return out.filter((o) => o.kind === 'message').map((o) => (o.kind === 'message' ? o.data.toString('latin1') : ''));
}

function feedAll(f: StreamFramer, chunks: Buffer[]): FramerOutput[] {
  const out: FramerOutput[] = [];
  for (const c of chunks) out.push(...f.push(c));
  return out;
}

describe('StreamFramer', () => {
  it('frames one message with its body exactly', () => {
    const out = new StreamFramer().push(Buffer.from(MSG1));
    // The body itself ends in CRLFCRLF: it must not be taken for a keep-alive.
    expect(messages(out)).toEqual([MSG1]);
    expect(out).toHaveLength(1);
  });

  it('yields the same two messages for every split point of a pipelined buffer', () => {
    const all = Buffer.from(MSG1 + MSG2);
    for (let cut = 0; cut <= all.length; cut++) {
      const f = new StreamFramer();
      const out = feedAll(f, [all.subarray(0, cut), all.subarray(cut)]);
      expect(messages(out), `cut at ${cut}`).toEqual([MSG1, MSG2]);
      expect(out.every((o) => o.kind === 'message')).toBe(true);
      expect(f.buffered).toBe(0);
    }
  });

  it('frames byte by byte and several messages in one chunk', () => {
    const all = Buffer.from(MSG1 + MSG2 + MSG1);
    const f = new StreamFramer();
    const bytes: Buffer[] = [];
    for (let i = 0; i < all.length; i++) bytes.push(all.subarray(i, i + 1));
    expect(messages(feedAll(f, bytes))).toEqual([MSG1, MSG2, MSG1]);
    expect(messages(new StreamFramer().push(all))).toEqual([MSG1, MSG2, MSG1]);
  });

  it('keeps a partial message until the body arrives', () => {
    const f = new StreamFramer();
    const cut = MSG1.length - 3;
    expect(f.push(Buffer.from(MSG1.slice(0, cut)))).toEqual([]);
    expect(f.buffered).toBe(cut);
    expect(messages(f.push(Buffer.from(MSG1.slice(cut))))).toEqual([MSG1]);
  });

  it('reports CRLFCRLF as a ping and a single CRLF as a pong (RFC 5626 §3.5.1)', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from('\r\n\r\n'))).toEqual([{ kind: 'keepalive-ping' }]);
    expect(f.push(Buffer.from('\r\n'))).toEqual([{ kind: 'keepalive-pong' }]);
    const g = new StreamFramer();
    const out = g.push(Buffer.from(`${MSG2}\r\n\r\n${MSG2}\r\n${MSG2}`));
    expect(out.map((o) => o.kind)).toEqual(['message', 'keepalive-ping', 'message', 'keepalive-pong', 'message']);
  });

  it('waits on a ping split after three bytes and takes a split CRLF pair as a ping', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from('\r\n\r'))).toEqual([]);
    expect(f.push(Buffer.from('\n'))).toEqual([{ kind: 'keepalive-ping' }]);
    const g = new StreamFramer();
    expect(g.push(Buffer.from('\r\n'))).toEqual([{ kind: 'keepalive-pong' }]);
    expect(g.push(Buffer.from('\r\n'))).toEqual([{ kind: 'keepalive-ping' }]);
  });

  it('tolerates CRLFs before a start-line', () => {
    const out = new StreamFramer().push(Buffer.from(`\r\n${MSG2}`));
    expect(out.map((o) => o.kind)).toEqual(['keepalive-pong', 'message']);
    expect(messages(out)).toEqual([MSG2]);
  });

  it('accepts the compact form l: and bare-LF line ends', () => {
    const lf = 'OPTIONS sip:a SIP/2.0\nL : 2\n\nok';
    expect(messages(new StreamFramer().push(Buffer.from(lf)))).toEqual([lf]);
  });

  it('rejects a message without Content-Length', () => {
    const f = new StreamFramer();
    expect(() => f.push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nCall-ID: x\r\n\r\n'))).toThrow(/missing Content-Length/);
    // The framer stays failed.
    expect(() => f.push(Buffer.from(MSG2))).toThrow(FramingError);
  });

  it('rejects invalid and conflicting Content-Length values', () => {
    expect(() => new StreamFramer().push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n'))).toThrow(/invalid Content-Length/);
    expect(() => new StreamFramer().push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nContent-Length: 1x\r\n\r\n'))).toThrow(/invalid Content-Length/);
    expect(() => new StreamFramer().push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\n'))).toThrow(/conflicting/);
  });

  it('delivers messages framed before an error on the error object', () => {
    try {
      new StreamFramer().push(Buffer.from(`${MSG2}OPTIONS sip:a SIP/2.0\r\n\r\n`));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FramingError);
      expect(messages((e as FramingError).output)).toEqual([MSG2]);
    }
  });

  it('cuts an endless header section at maxHeaderBytes, holding no more than that', () => {
    const f = new StreamFramer({ maxHeaderBytes: 1000, maxBodyBytes: 100 });
    f.push(Buffer.from('OPTIONS sip:a SIP/2.0\r\n'));
    let thrown: unknown;
    for (let i = 0; i < 200 && thrown === undefined; i++) {
      try {
        f.push(Buffer.from('X-Filler: 0123456789\r\n'));
      } catch (e) {
        thrown = e;
      }
      expect(f.buffered).toBeLessThanOrEqual(1100);
    }
    expect(thrown).toBeInstanceOf(FramingError);
    expect((thrown as Error).message).toMatch(/header section exceeds 1000 bytes/);
  });

  it('rejects an endless header arriving in one huge chunk without buffering it all', () => {
    const f = new StreamFramer({ maxHeaderBytes: 1024, maxBodyBytes: 1024 });
    expect(() => f.push(Buffer.alloc(10 * 1024 * 1024, 0x41))).toThrow(/header section exceeds/);
    expect(f.buffered).toBeLessThanOrEqual(2048);
  });

  it('rejects a Content-Length above maxBodyBytes as soon as the header is complete', () => {
    const f = new StreamFramer();
    expect(() => f.push(Buffer.from('INVITE sip:a SIP/2.0\r\nContent-Length: 10485760\r\n\r\n'))).toThrow(/exceeds limit of 1048576/);
  });

  it('accepts a message of exactly the limits', () => {
    const f = new StreamFramer({ maxHeaderBytes: 64, maxBodyBytes: 10 });
    const head = 'MESSAGE sip:a SIP/2.0\r\nContent-Length: 10\r\n\r\n';
    const msg = head + '0123456789';
    expect(messages(f.push(Buffer.from(msg + msg)))).toEqual([msg, msg]);
    const tight = new StreamFramer({ maxHeaderBytes: head.length, maxBodyBytes: 10 });
    expect(messages(tight.push(Buffer.from(msg)))).toEqual([msg]);
    const tooTight = new StreamFramer({ maxHeaderBytes: head.length - 1, maxBodyBytes: 10 });
    expect(() => tooTight.push(Buffer.from(msg))).toThrow(/header section exceeds/);
  });

  it('frames many small chunks in linear time', () => {
    const body = 'x'.repeat(200_000);
    const msg = `MESSAGE sip:a SIP/2.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const all = Buffer.from(msg + msg);
    const f = new StreamFramer();
    const t0 = performance.now();
    const out: FramerOutput[] = [];
    for (let i = 0; i < all.length; i += 7) out.push(...f.push(all.subarray(i, i + 7)));
    expect(messages(out)).toEqual([msg, msg]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
