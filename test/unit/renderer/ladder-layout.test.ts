// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { RtpStreamSummary } from '../../../src/shared/api/contract.ts';
import {
  OTHERS,
  arrowFor,
  columnIndex,
  labelOf,
  ladderColumns,
  ladderItems,
  streamColumns,
  toneOf,
} from '../../../src/renderer/src/features/trace/ladder-layout.ts';
import { entry } from './fixtures.ts';

const US = '127.0.0.1:5070';
const PROXY = '10.0.0.2:5060';
const GW = '10.0.0.9:5060';

describe('ladder layout', () => {
  const flow = [
    entry(1, { method: 'INVITE' }),
    entry(2, { method: 'INVITE', retransmission: true }),
    entry(3, { status: 100, dir: 'in' }),
    entry(4, { status: 180, dir: 'in' }),
    entry(5, { status: 200, dir: 'in' }),
    entry(6, { method: 'ACK' }),
    entry(7, { method: 'BYE', dir: 'in' }),
    entry(8, { status: 200, method: 'BYE' }),
  ];
  const all = flow.map((_, i) => i);

  it('makes one column per endpoint in order of first appearance, marking ours', () => {
    const cols = ladderColumns(flow, all);
    expect(cols).toEqual([
      { address: US, local: true },
      { address: PROXY, local: false },
    ]);
    const incomingFirst = [entry(1, { dir: 'in', local: US, remote: GW })];
    expect(ladderColumns(incomingFirst, [0]).map((c) => c.address)).toEqual([GW, US]);
  });

  it('draws requests we send left to right and what we receive right to left', () => {
    const col = columnIndex(ladderColumns(flow, all));
    expect(arrowFor(flow[0]!, col)).toMatchObject({
      from: 0,
      to: 1,
      label: 'INVITE',
      tone: 'm-invite',
      retransmission: false,
    });
    expect(arrowFor(flow[3]!, col)).toMatchObject({
      from: 1,
      to: 0,
      label: '180 Ringing',
      tone: 's-1xx',
    });
    expect(arrowFor(flow[6]!, col)).toMatchObject({ from: 1, to: 0, label: 'BYE', tone: 'm-bye' });
    expect(arrowFor(flow[7]!, col)).toMatchObject({
      from: 0,
      to: 1,
      label: '200 OK',
      tone: 's-2xx',
    });
  });

  it('marks retransmissions and colours errors and response classes', () => {
    const col = columnIndex(ladderColumns(flow, all));
    expect(arrowFor(flow[1]!, col).retransmission).toBe(true);
    expect(toneOf(entry(9, { status: 486, dir: 'in' }))).toBe('s-4xx');
    expect(toneOf(entry(9, { method: 'FOO' }))).toBe('m-other');
    expect(toneOf(entry(9, { error: 'bad Via' }))).toBe('error');
    expect(labelOf(entry(9, { status: 503, firstLine: 'SIP/2.0 503 Service Unavailable' }))).toBe(
      '503 Service Unavailable',
    );
  });

  it('puts endpoints beyond the cap into one "others" column', () => {
    const many = Array.from({ length: 10 }, (_, i) => entry(i + 1, { remote: `10.0.1.${i}:5060` }));
    const cols = ladderColumns(
      many,
      many.map((_, i) => i),
      4,
    );
    expect(cols.map((c) => c.address)).toEqual([US, '10.0.1.0:5060', '10.0.1.1:5060', OTHERS]);
    const col = columnIndex(cols);
    expect(arrowFor(many[9]!, col)).toMatchObject({ from: 0, to: 3 });
  });

  it('only lays out the filtered entries', () => {
    const mixed = [entry(1), entry(2, { remote: GW, callId: 'x' })];
    expect(ladderColumns(mixed, [1]).map((c) => c.address)).toEqual([US, GW]);
  });

  it('spreads an RTP band over two columns on loopback, where every address is ours', () => {
    const loop = [
      entry(1, { local: '127.0.0.1:50271', remote: '127.0.0.1:5096' }),
      entry(2, { dir: 'in', local: '127.0.0.1:5096', remote: '127.0.0.1:50271' }),
    ];
    const cols = ladderColumns(loop, [0, 1]);
    expect(cols.every((c) => c.local)).toBe(true);
    const r: RtpStreamSummary = {
      callId: 'call-1',
      dir: 'sent',
      from: '127.0.0.1:40000',
      to: '127.0.0.1:40002',
      startAt: 0,
      packets: 1,
      lost: 0,
      jitterMs: 0,
    };
    expect(streamColumns(r, cols)).toEqual({ from: 0, to: 1 });
    expect(streamColumns({ ...r, dir: 'received' }, cols)).toEqual({ from: 1, to: 0 });
  });

  it('interleaves RTP streams by start time and places them between their endpoints', () => {
    const sent: RtpStreamSummary = {
      callId: 'call-1',
      dir: 'sent',
      from: '127.0.0.1:40000',
      to: '10.0.0.2:30000',
      startAt: flow[5]!.at + 1,
      packets: 500,
      lost: 2,
      jitterMs: 1.5,
    };
    const recv: RtpStreamSummary = {
      ...sent,
      dir: 'received',
      from: '10.0.0.2:30000',
      to: '127.0.0.1:40000',
      startAt: flow[4]!.at,
    };
    const items = ladderItems(flow, all, [sent, recv]);
    expect(items.map((it) => (it.kind === 'msg' ? it.index : it.stream.dir))).toEqual([
      0,
      1,
      2,
      3,
      'received',
      4,
      5,
      'sent',
      6,
      7,
    ]);
    const cols = ladderColumns(flow, all);
    expect(streamColumns(sent, cols)).toEqual({ from: 0, to: 1 });
    expect(streamColumns(recv, cols)).toEqual({ from: 1, to: 0 });
  });
});
