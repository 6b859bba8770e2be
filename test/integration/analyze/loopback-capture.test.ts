/**
 * Real RTP on 127.0.0.1 captured by tshark on the loopback interface, then analysed by us and by
 * `tshark -z rtp,streams` from the same file: two RtpSessions talking (with RFC 4733 digits), and
 * a raw UDP sender with seeded loss, duplication, reordering and a silent gap with a marker bit.
 * tshark is started first (we wait for "Capturing on"), stopped by PID with SIGINT, bounded.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/main/engine/analyze/analyze-capture.ts';
import { pcmuCodec } from '../../../src/main/media/codec/g711.ts';
import { RtpSession } from '../../../src/main/media/session/rtp-session.ts';
import type { SessionCodec } from '../../../src/main/media/session/types.ts';
import { RtpStreamSet } from '../../../src/main/media/stats/rtp-stream-set.ts';
import { ToneSource } from '../../../src/main/media/source/tone.ts';
import { runCli } from '../../support/cli.ts';
import { freePorts } from '../../support/ports.ts';
import { startProcess, stopAllStarted, waitForOutput } from '../../support/processes.ts';
import { rtp } from '../../unit/media/pcap/pcap-builder.ts';
import { expectAgreement } from './compare.ts';
import { rng } from './scenarios.ts';
import { tsharkRtpStreams } from './tshark-streams.ts';

const LOOP = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-lo-'));
const sessions: RtpSession[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  for (const s of sockets.splice(0)) s.close();
  await stopAllStarted();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function udp(port: number): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  s.on('message', () => undefined);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, LOOP, () => resolve());
  });
  return s;
}

interface RawPlan {
  sent: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}

/** 200 packets at 20 ms from `from` to `toPort` with seeded impairments; sequence numbers wrap. */
async function rawImpairedSender(from: Socket, toPort: number): Promise<RawPlan> {
  const r = rng(7);
  const plan: RawPlan = { sent: 0, dropped: 0, duplicated: 0, reordered: 0 };
  const start = Date.now();
  const packet = (i: number, marker = false): Buffer =>
    Buffer.from(
      rtp({ seq: (65_450 + i) & 0xffff, ts: 0xfffff000 + i * 160, ssrc: 0x7e57, pt: 8, marker }),
    );
  const send = (b: Buffer): void => {
    from.send(b, toPort, LOOP);
    plan.sent++;
  };
  for (let i = 0; i < 200; i++) {
    const wait = start + i * 20 - Date.now();
    if (wait > 0) await sleep(wait);
    if (i >= 100 && i < 125) {
      // A silent gap of 25 packets; the next one carries the marker (RFC 3551 §4.1) and a new
      // sequence number right after the last one sent (the sender did not send during silence).
      continue;
    }
    const seqIndex = i >= 125 ? i - 25 : i;
    const marker = i === 125;
    const x = r();
    if (i > 5 && i < 195 && i !== 124 && i !== 125 && x < 0.05) {
      plan.dropped++;
    } else if (i > 5 && i < 190 && i !== 99 && i !== 124 && x < 0.09) {
      // Swap with the next packet: send i+1 now, i right after.
      send(packet(seqIndex + 1));
      send(packet(seqIndex, marker));
      plan.reordered++;
      i++;
    } else if (i > 5 && i < 195 && x < 0.12) {
      send(packet(seqIndex, marker));
      send(packet(seqIndex, marker));
      plan.duplicated++;
    } else {
      send(packet(seqIndex, marker));
    }
  }
  return plan;
}

describe('analyze on a loopback capture agrees with tshark', () => {
  it('two RtpSessions with DTMF plus an impaired raw stream', async () => {
    const [rawFrom, rawTo] = await freePorts(2);
    const pcmu = pcmuCodec as SessionCodec;
    const received = new RtpStreamSet();
    const open = async (
      onPacket?: (p: import('../../../src/main/media/session/types.ts').PacketInfo) => void,
    ): Promise<RtpSession> => {
      const tone = new ToneSource({ frequency: 440 });
      const s = await RtpSession.open({
        bindAddress: LOOP,
        portRange: { min: 20_000, max: 32_000 },
        rtcpMux: false,
        codec: pcmu,
        ptimeMs: 20,
        telephoneEventPt: 101,
        source: { read: (f) => f.set(tone.next(f.length)) },
        onPacket,
      });
      sessions.push(s);
      return s;
    };
    const sa = await open();
    const sb = await open((p) => received.add(p));
    const rawA = await udp(rawFrom!);
    await udp(rawTo!);

    const file = join(dir, 'loopback.pcapng');
    const filter = [sa.localPort, sb.localPort, rawTo!].map((p) => `udp port ${p}`).join(' or ');
    const tshark = startProcess('tshark', ['-n', '-i', 'lo', '-f', filter, '-w', file], 40_000);
    await waitForOutput(tshark, 'stderr', (t) => t.includes('Capturing on'), 15_000);
    await sleep(300);

    sa.setRemote({ address: LOOP, port: sb.localPort, rtcpPort: sb.localRtcpPort });
    sb.setRemote({ address: LOOP, port: sa.localPort, rtcpPort: sa.localRtcpPort });
    const raw = rawImpairedSender(rawA, rawTo!);
    await sleep(1000);
    await sa.sendDtmf('15', { durationMs: 160 });
    const plan = await raw;
    await sleep(300);
    await Promise.all(sessions.map((s) => s.close()));
    await sleep(300);
    const exit = await tshark.stop('SIGINT', 5000);
    expect(exit.signal === null ? exit.code : 0, tshark.stderr()).toBe(0);

    const buf = readFileSync(file);
    const ours = analyzeCapture(buf);
    if (!ours.ok) throw new Error(ours.message);
    expect(ours.format).toBe('pcapng');
    const { streams: theirs, raw: table } = await tsharkRtpStreams(file, [sa.localPort, sb.localPort, rawTo!]);
    writeFileSync(join(dir, 'tshark.txt'), table);
    const cmp = expectAgreement('loopback', ours.streams, theirs, true);
    expect(cmp.length).toBe(3);

    // Ground truth for the raw stream: every drop is lost, duplicates offset it (Wireshark's
    // definition), swaps are late packets.
    const rawStream = ours.streams.find((s) => s.ssrc === 0x7e57)!;
    expect(rawStream).toMatchObject({
      packets: plan.sent,
      duplicates: plan.duplicated,
      outOfOrder: plan.reordered,
      lost: plan.dropped - plan.duplicated,
    });
    expect(rawStream.rfc3550.cumulativeLost).toBe(plan.dropped - plan.duplicated);
    expect(plan.dropped * plan.duplicated * plan.reordered, JSON.stringify(plan)).toBeGreaterThan(
      0,
    );

    // The session's own onPacket statistics agree with the capture on packets and loss.
    const live = received
      .snapshots()
      .find((s) => s.ssrc === ours.streams.find((x) => x.dstPort === sb.localPort)!.ssrc)!;
    const fromCapture = ours.streams.find((x) => x.dstPort === sb.localPort)!;
    expect(live.packets).toBe(fromCapture.packets);
    expect(live.lost).toBe(fromCapture.lost);
    expect(fromCapture.payloadTypes).toEqual([0, 101]);

    // The CLI reads the same file.
    const cli = await runCli(['analyze', file, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout) as {
      ok: boolean;
      streams: Array<{ ssrc: number; packets: number; lost: number; mos: number }>;
    };
    expect(json.ok).toBe(true);
    expect(json.streams.map((s) => [s.ssrc, s.packets, s.lost]).sort()).toEqual(
      ours.streams.map((s) => [s.ssrc, s.packets, s.lost]).sort(),
    );
    for (const s of json.streams) expect(s.mos).toBeGreaterThan(1);
  });

  it('the CLI exits 1 on a capture without RTP and 2 on a file that is not a capture', async () => {
    const [port] = await freePorts(1);
    const sock = await udp(port!);
    const file = join(dir, 'no-rtp.pcap');
    const tshark = startProcess(
      'tshark',
      ['-n', '-i', 'lo', '-F', 'pcap', '-f', `udp port ${port}`, '-w', file],
      30_000,
    );
    await waitForOutput(tshark, 'stderr', (t) => t.includes('Capturing on'), 15_000);
    await sleep(300);
    for (let i = 0; i < 5; i++) sock.send(Buffer.from(`not rtp ${i}`), port!, LOOP);
    await sleep(300);
    await tshark.stop('SIGINT', 5000);
    const noRtp = await runCli(['analyze', file]);
    expect(noRtp.code, noRtp.stderr).toBe(1);
    expect(noRtp.stderr).toContain(
      'no RTP: none of the 5 UDP datagrams has an RTP version 2 header',
    );

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    const bad = await runCli(['analyze', text, '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, reason: 'not-a-capture' });
    const missing = await runCli(['analyze', join(dir, 'missing.pcap')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});
