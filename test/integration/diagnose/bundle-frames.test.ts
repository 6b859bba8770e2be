/**
 * Issue 11: the frames a `diagnose --bundle` report cites are the frames of the bundle's own pcap.
 * A capture of three calls (a 486 over UDP; an answered call whose callee never sends RTP, with
 * 350 RTP packets between its ACK and BYE; a 486 over TCP whose 100 Trying and 486 arrive in one
 * segment, so two messages share one original frame): for every evidence "frame M" of every
 * bundle report, `tshark -r call-….pcap -Y frame.number==M` holds the message the same evidence
 * cites in the original capture as `originalRef` "frame N", and N is what `diagnose --json` cites.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallReport, Evidence } from '../../../src/shared/model/report.ts';
import { BUSY_CALL, SILENT_CALL, twoCallPackets } from '../../support/diagnosis-captures.ts';
import { explain, runCli } from '../../support/cli.ts';
import { buildPcap, CALL_ID, sipCall, type Packet } from '../../unit/engine/analyze/capture-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'trunkscope-bundle-frames-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TCP_CALL = 'tcp-486@capture.test';

/** The two UDP calls, then a 486 over TCP with its 100 and 486 in one segment. */
function capture(): Buffer {
  const m = sipCall({ callerMedia: '198.51.100.2:20004', calleeMedia: '203.0.113.5:40004', final: '486 Busy Here' });
  const t = (s: string): string => s.split(CALL_ID).join(TCP_CALL).replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
  const seg = (atMs: number, fromCaller: boolean, seq: number, text: string): Packet => ({
    atMs,
    src: fromCaller ? '198.51.100.2' : '203.0.113.5',
    dst: fromCaller ? '203.0.113.5' : '198.51.100.2',
    sport: fromCaller ? 40123 : 5060,
    dport: fromCaller ? 5060 : 40123,
    payload: Buffer.from(text, 'latin1'),
    tcp: { seq },
  });
  const invite = t(m.invite);
  const both = t(m.trying) + t(m.final);
  return buildPcap([
    ...twoCallPackets(),
    seg(9000, true, 1000, invite),
    seg(9040, false, 5000, both),
    seg(9050, true, 1000 + Buffer.byteLength(invite), t(m.ack)),
  ]);
}

/** The SIP message in frame `n` of a pcap, as tshark reads it (UDP or TCP payload, hex). */
function frameText(file: string, n: number): string {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', `frame.number==${n}`, '-T', 'fields', '-e', 'udp.payload', '-e', 'tcp.payload'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`tshark exit ${r.status}: ${r.stderr}`);
  const hex = r.stdout.replace(/[\s:]/g, '');
  return Buffer.from(hex, 'hex').toString('latin1');
}

const frameRefs = (r: CallReport): Evidence[] => (r.diagnosis?.causes ?? []).flatMap((c) => c.evidence).filter((e) => /^frame \d+$/.test(e.ref));

describe('diagnose --bundle: frame numbers', () => {
  it('every cited frame of the bundle pcap holds the cited message; originalRef is the original frame', async () => {
    const original = join(dir, 'three.pcap');
    writeFileSync(original, capture());
    const zip = join(dir, 'three.zip');
    const r = await runCli(['diagnose', original, '--json', '--bundle', zip], { timeoutMs: 60_000 });
    expect(r.code, explain(r)).toBe(1);
    const plain = JSON.parse(r.stdout) as { calls: Array<{ callId: string; frames: number[]; report: CallReport }> };
    expect(plain.calls.map((c) => c.callId)).toEqual([BUSY_CALL, SILENT_CALL, TCP_CALL]);
    // The TCP call's 100 and 486 came in one segment: one original frame for two messages.
    const tcp = plain.calls[2]!;
    expect(tcp.frames[1]).toBe(tcp.frames[2]);

    const files = unzipSync(readFileSync(zip));
    let checked = 0;
    for (const c of plain.calls) {
      const id = c.callId.replace(/[^A-Za-z0-9._-]+/g, '_');
      const pcap = join(dir, `call-${id}.pcap`);
      writeFileSync(pcap, files[`call-${id}.pcap`]!);
      const bundled = JSON.parse(Buffer.from(files[`report-${id}.json`]!).toString()) as CallReport;
      const cited = frameRefs(bundled);
      const plainRefs = frameRefs(c.report);
      // The answered call's evidence is about media (t+0.0s), the rejected calls' cite frames.
      if (c.callId !== SILENT_CALL) expect(cited.length, c.callId).toBeGreaterThan(0);
      // The same evidence, cause by cause: the bundle's ref is new, its originalRef the old one.
      expect(cited.map((e) => e.originalRef)).toEqual(plainRefs.map((e) => e.ref));
      expect(cited.map((e) => e.text)).toEqual(plainRefs.map((e) => e.text));
      for (const e of cited) {
        const m = Number(e.ref.slice(6));
        const n = Number(e.originalRef!.slice(6));
        const inBundle = frameText(pcap, m);
        const firstLine = inBundle.split('\r\n')[0]!;
        expect(firstLine, `${c.callId} ${e.ref}`).toMatch(/^(SIP\/2\.0 \d{3} |[A-Z]+ sip:)/);
        // The original frame holds that same message (with the 100 before it, for the TCP call).
        expect(frameText(original, n), `${c.callId} ${e.originalRef}`).toContain(inBundle);
        expect(inBundle).toContain(`Call-ID: ${c.callId}`);
        checked++;
      }
    }
    // The TCP call's busy evidence is the 486, not the 100 of the same original frame.
    const tcpReport = JSON.parse(Buffer.from(files[`report-${TCP_CALL.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`]!).toString()) as CallReport;
    const busy = tcpReport.diagnosis!.causes.find((x) => x.code === 'busy')!.evidence.find((e) => /^frame/.test(e.ref))!;
    const tcpPcap = join(dir, `call-${TCP_CALL.replace(/[^A-Za-z0-9._-]+/g, '_')}.pcap`);
    expect(frameText(tcpPcap, Number(busy.ref.slice(6))).split('\r\n')[0]).toBe('SIP/2.0 486 Busy Here');
    // The answered call's BYE is cited after its 350 RTP packets: renumbered, not the original.
    const silentId = SILENT_CALL.replace(/[^A-Za-z0-9._-]+/g, '_');
    const ladder = Buffer.from(files[`ladder-${silentId}.txt`]!).toString();
    expect(ladder).toMatch(/message 5: frame 355 of call-no-inbound-rtp_capture\.test\.pcap = frame 359 of the original capture/);
    expect(Buffer.from(files[`diagnosis-${silentId}.txt`]!).toString()).toContain('355 (359), 356 (360)');
    const tcpText = Buffer.from(files[`diagnosis-${TCP_CALL.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`]!).toString();
    expect(tcpText).toContain(`${busy.ref} (${busy.originalRef} of the original capture): SIP/2.0 486 Busy Here`);
    expect(checked).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
