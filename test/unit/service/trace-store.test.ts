import { describe, expect, it } from 'vitest';
import { TraceStore } from '../../../src/main/engine/trace/trace-store.ts';
import { readTraceFields } from '../../../src/main/engine/trace/trace-parse.ts';
import type { TraceRecord } from '../../../src/main/sip/transport/types.ts';

const local = { address: '127.0.0.1', port: 5060 };
const remote = { address: '127.0.0.1', port: 5070 };

function msg(firstLine: string, callId: string, cseq: string, extra = ''): string {
  return `${firstLine}\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\n${extra}Content-Length: 0\r\n\r\n`;
}

function rec(text: string, at: number, dir: 'in' | 'out' = 'in', error?: string): TraceRecord {
  return {
    dir,
    at,
    proto: 'udp',
    local,
    remote,
    raw: Buffer.from(text, 'latin1'),
    ...(error ? { error } : {}),
  };
}

describe('trace fields', () => {
  it('reads a request: method, CSeq, Call-ID (compact form too)', () => {
    const f = readTraceFields(
      Buffer.from('INVITE sip:a@b SIP/2.0\r\ni: abc@host\r\nCSeq:  7   INVITE\r\n\r\n'),
    );
    expect(f).toMatchObject({
      firstLine: 'INVITE sip:a@b SIP/2.0',
      method: 'INVITE',
      callId: 'abc@host',
      cseq: '7 INVITE',
    });
    expect(f.status).toBeUndefined();
  });

  it('files a response under its CSeq method with the status code', () => {
    const f = readTraceFields(Buffer.from(msg('SIP/2.0 486 Busy Here', 'x', '1 INVITE')));
    expect(f).toMatchObject({
      firstLine: '486 Busy Here',
      status: 486,
      method: 'INVITE',
      cseq: '1 INVITE',
      callId: 'x',
    });
  });

  it('keeps bytes that are not UTF-8 (latin1) and garbage without crashing', () => {
    const raw = Buffer.from([0x49, 0x4e, 0x56, 0xff, 0xfe, 0x0d, 0x0a]);
    const f = readTraceFields(raw);
    expect(f.text).toBe(raw.toString('latin1'));
    expect(f.method).toBeUndefined();
  });
});

describe('TraceStore', () => {
  it('numbers entries and flags the same bytes in the same direction within 64·T1 as a retransmission', () => {
    const s = new TraceStore({ retransmitWindowMs: 32_000 });
    const invite = msg('INVITE sip:a@127.0.0.1 SIP/2.0', 'c1', '1 INVITE');
    const a = s.add(rec(invite, 1000));
    const b = s.add(rec(invite, 1500));
    const c = s.add(rec(invite, 1600, 'out')); // other direction: not a retransmission
    const d = s.add(rec(invite, 1500 + 32_001)); // outside the window
    expect([a.id, b.id, c.id, d.id]).toEqual([1, 2, 3, 4]);
    expect([a.retransmission, b.retransmission, c.retransmission, d.retransmission]).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(b).toMatchObject({
      callId: 'c1',
      method: 'INVITE',
      cseq: '1 INVITE',
      dir: 'in',
      local: '127.0.0.1:5060',
      remote: '127.0.0.1:5070',
    });
  });

  it('keeps a malformed record with its reason', () => {
    const s = new TraceStore();
    const e = s.add(rec('garbage', 1, 'in', 'bad start line'));
    expect(e.error).toBe('bad start line');
    expect(e.firstLine).toBe('garbage');
    expect(s.add(rec('', 2, 'in', 'TLS handshake failed')).firstLine).toBe(
      '(TLS handshake failed)',
    );
  });

  it('filters by Call-ID, method, status class or code and free text, with paging', () => {
    const s = new TraceStore();
    let t = 0;
    for (const id of ['A', 'B']) {
      s.add(rec(msg('INVITE sip:bob@example.com SIP/2.0', id, '1 INVITE'), ++t, 'out'));
      s.add(rec(msg('SIP/2.0 180 Ringing', id, '1 INVITE'), ++t));
      s.add(
        rec(
          msg(
            id === 'A' ? 'SIP/2.0 200 OK' : 'SIP/2.0 486 Busy Here',
            id,
            '1 INVITE',
            'X-Note: Needle\r\n',
          ),
          ++t,
        ),
      );
      s.add(rec(msg('BYE sip:bob@example.com SIP/2.0', id, '2 BYE'), ++t, 'out'));
    }
    expect(s.query({ callId: 'A' }).total).toBe(4);
    expect(s.query({ method: 'invite' }).total).toBe(6);
    expect(
      s.query({ method: 'INVITE', callId: 'B', status: '4xx' }).entries.map((e) => e.status),
    ).toEqual([486]);
    expect(s.query({ status: '180' }).total).toBe(2);
    expect(s.query({ status: '2xx' }).total).toBe(1);
    expect(s.query({ text: 'needle' }).total).toBe(2);
    expect(s.query({ text: '(' }).total).toBe(0); // regex metacharacters are literal
    const page = s.query({}, 2, 3);
    expect(page.total).toBe(8);
    expect(page.entries.map((e) => e.id)).toEqual([3, 4, 5]);
  });

  it('bounds memory: the oldest entries go beyond the limit', () => {
    const s = new TraceStore({ limit: 100 });
    for (let i = 0; i < 1000; i++)
      s.add(rec(msg('OPTIONS sip:x SIP/2.0', `c${i}`, '1 OPTIONS'), i));
    expect(s.count).toBeLessThanOrEqual(100 + (100 >> 4));
    const all = s.query({}, 0, 1000).entries;
    expect(all.at(-1)!.id).toBe(1000);
    expect(all[0]!.id).toBeGreaterThan(890);
  });
});
