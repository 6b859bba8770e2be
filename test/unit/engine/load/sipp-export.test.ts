/** export sipp pieces: fractional rates as -r/-rp, scenario text, the audio pcap, SIPp statistics read back. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSippExport, sippRate } from '../../../../src/main/engine/load/sipp-export.ts';
import { audioPcap } from '../../../../src/main/engine/load/sipp-audio.ts';
import { uacScenario, uasScenario } from '../../../../src/main/engine/load/sipp-scenario.ts';
import { readSippStats, seconds } from '../../../../src/main/engine/load/sipp-stats.ts';
import { readPcap } from '../../../../src/main/media/pcap/pcap.ts';

const fixture = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'sipp', 'uac-builtin_stat.csv');

describe('sipp export', () => {
  it('turns fractional rates into SIPp -r N -rp P', () => {
    expect(sippRate(20)).toEqual({ r: 20, rp: 1000 });
    expect(sippRate(0.5)).toEqual({ r: 1, rp: 2000 });
    expect(sippRate(2.5)).toEqual({ r: 5, rp: 2000 });
    expect(sippRate(0.1)).toEqual({ r: 1, rp: 10000 });
  });

  it('writes the auth branch only with credentials, and a uniform pause for a duration range', () => {
    const base = { codecs: ['PCMA' as const], telephoneEventPt: 101, ptimeMs: 20, headers: [['X-A', '1'] as [string, string]], durationMs: { min: 30_000, max: 90_000 }, auth: false };
    const plain = uacScenario(base);
    expect(plain).not.toContain('[authentication]');
    expect(plain).toContain('<pause distribution="uniform" min="30000" max="90000"/>');
    expect(plain).toContain('m=audio [media_port] RTP/AVP 8 101');
    expect(plain).toContain('\nX-A: 1\n');
    const auth = uacScenario({ ...base, auth: true, durationMs: { min: 5000, max: 5000 } });
    expect(auth).toContain('<recv response="407" optional="true" auth="true" next="auth"/>');
    expect(auth).toContain('\n[authentication]\n');
    expect(auth).toContain('CSeq: 2 INVITE');
    expect(auth).toContain('CSeq: 3 BYE');
    expect(auth).toContain('<pause milliseconds="5000"/>');
    expect(() => uacScenario({ ...base, headers: [['X-B', 'a[b]']] })).toThrow(/cannot carry/);
  });

  it('UAS answer modes: 486 for busy, 503 reason phrase, CANCEL then 487 for ring', () => {
    const o = { answerDelayMs: 0, codec: 'PCMU' as const, telephoneEventPt: 101, ptimeMs: 20 };
    expect(uasScenario({ ...o, answer: { kind: 'busy' } })).toContain('SIP/2.0 486 Busy Here');
    expect(uasScenario({ ...o, answer: { kind: 'reject', status: 503 } })).toContain('SIP/2.0 503 Service Unavailable');
    const ring = uasScenario({ ...o, answer: { kind: 'ring' } });
    expect(ring).toContain('<recv request="CANCEL"/>');
    expect(ring).toContain('CSeq: [$invite_cseq] INVITE');
    expect(uasScenario({ ...o, answer: { kind: 'echo' }, answerDelayMs: 300 })).toContain('<pause milliseconds="300"/>');
  });

  it('audio.pcap: one G.711 packet per ptime on Ethernet, the digits as RFC 4733 in the same stream', async () => {
    const a = await audioPcap({ source: { kind: 'tone', hz: 1004 }, codec: 'PCMU', ptimeMs: 20, seconds: 2, digits: '1', dtmfAtSec: 0.5, telephoneEventPt: 101 });
    const pcap = readPcap(a.pcap);
    if (!pcap.ok) throw new Error('unreadable pcap');
    expect(pcap.frames.every((f) => f.linkType === 1)).toBe(true);
    const pts = pcap.frames.map((f) => f.data[14 + 20 + 8 + 1]! & 0x7f);
    expect(pts.filter((pt) => pt === 101).length).toBe(a.digitPackets);
    expect(a.digitPackets).toBeGreaterThanOrEqual(7); // 100 ms: 4 updates + 3 end packets
    expect(pts.filter((pt) => pt === 0).length + a.digitPackets).toBe(a.packets);
    expect(a.packets).toBeGreaterThan(90);
    expect(a.packets).toBeLessThanOrEqual(100);
  });

  it('run.sh reads the password from the environment and numbers.csv holds no secret', async () => {
    const { files } = await buildSippExport({ remote: '127.0.0.1:5060', transport: 'udp', rows: [{ target: 'sip:a@127.0.0.1:5060;transport=udp', from: 'sip:me@127.0.0.1' }], authUser: 'alice', codecs: ['PCMU'], ptimeMs: 20, headers: [], callDuration: { min: 1, max: 1 }, rate: 2, calls: 4, concurrency: 3, timeoutSec: 5 });
    const byName = Object.fromEntries(files.map((f) => [f.name, f.content.toString()]));
    expect(Object.keys(byName).sort()).toEqual(['numbers.csv', 'run.sh', 'uac.xml']);
    expect(byName['numbers.csv']).toBe('SEQUENTIAL\nsip:a@127.0.0.1:5060;sip:me@127.0.0.1\n');
    expect(byName['run.sh']).toContain(`-au 'alice' -ap "\${SIPP_PASSWORD:?`);
    expect(byName['run.sh']).toContain("-auth_uri 'a@127.0.0.1:5060'");
    expect(byName['run.sh']).toContain('-t u1 -r 2 -rp 1000 -m 4 -l 3');
  });
});

describe('readSippStats', () => {
  it("reads SIPp's -trace_stat file into the load report", () => {
    const r = readSippStats([{ name: 'a.csv', text: readFileSync(fixture, 'utf8') }]);
    expect(r).toMatchObject({ command: 'load', attempted: 20, answered: 20, failed: 0, asr: 1, cpsTarget: 10, byStatus: { '200': 20 }, byCause: { answered: 20 }, retransmissions: 0 });
    expect(r.setupMs.p95).toBe(10);
    expect(r.intervals.reduce((n, iv) => n + iv.started, 0)).toBe(20);
    expect(r.cpsAchieved).toBe(10);
  });

  it('sums hosts and counts failures by SIPp cause', () => {
    const text = readFileSync(fixture, 'utf8');
    const lines = text.trim().split('\n');
    const head = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    const set = (col: string, v: string): void => void (last[head.indexOf(col)] = v);
    set('FailedCall(C)', '3');
    set('FailedCallRejected(C)', '2');
    set('FailedMaxUDPRetrans(C)', '1');
    const failing = [...lines.slice(0, -1), last.join(';')].join('\n');
    const r = readSippStats([{ name: 'a.csv', text }, { name: 'b.csv', text: failing }]);
    expect(r).toMatchObject({ attempted: 43, answered: 40, failed: 3, cpsTarget: 20, byCause: { answered: 40, 'call-rejected': 2, 'max-udp-retrans': 1 } });
    expect(r.sources).toEqual(['a.csv', 'b.csv']);
  });

  it('refuses a file that is not SIPp statistics', () => {
    expect(() => readSippStats([{ name: 'x.csv', text: 'target\nsip:a@b\n' }])).toThrow(/x\.csv: not a SIPp -trace_stat file/);
    expect(seconds('00:01:02:500000')).toBe(62.5);
  });
});
