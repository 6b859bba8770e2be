/**
 * The jitter our sender adds: N RtpSessions (the generator, its own process) send PCMU 20 ms to
 * one receiving socket in a third process (sink.ts), no impairment; the receiver's RFC 3550 J per
 * stream, p50/p99 across streams. The same receiver measures SIPp's `rtp_stream` sender as the
 * reference (SIPp UAC → a SIPp UAS whose answer names the receiver's port).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forkChild } from './child.ts';
import type { GenWindow } from './generator.ts';
import { cpuBetween, sampleCpu } from './proc.ts';
import { pct, pctile, sleep } from './measure.ts';
import type { SinkWindow } from './sink.ts';
import { startProc, uacRtpStreamXml } from './sipp.ts';

export interface JitterResult {
  sender: 'trunkscope' | 'sipp';
  streams: number;
  seconds: number;
  jitterP50Ms: number | null;
  jitterP99Ms: number | null;
  jitterMaxMs: number | null;
  maxGapP99Ms: number | null;
  lossPct: number;
  senderCpuPct: number;
  receiverCpuPct: number;
  genSkippedFrames: number | null;
  genLoopDelayP99Ms: number | null;
}

function summary(sink: SinkWindow) {
  return {
    seconds: sink.seconds,
    jitterP50Ms: pctile(sink.jitterMs, 50),
    jitterP99Ms: pctile(sink.jitterMs, 99),
    jitterMaxMs: sink.jitterMs.at(-1) ?? null,
    maxGapP99Ms: pctile(sink.maxGapMs, 99),
    lossPct: pct(sink.expected - sink.received, sink.expected),
  };
}

export async function ourJitter(
  n: number,
  seconds: number,
  warmupSec: number,
): Promise<JitterResult> {
  const sink = forkChild('./sink.ts', 'sink');
  const gen = forkChild('./generator.ts', 'generator');
  try {
    const { port } = await sink.call<{ port: number }>({ t: 'bind' });
    await gen.call({
      t: 'open',
      n,
      remote: { address: '127.0.0.1', port },
      portMin: 20000,
      portMax: 29999,
    });
    await sleep(warmupSec * 1000);
    const c0 = sampleCpu([gen.pid, sink.pid]);
    await sink.call({ t: 'window-start' });
    await gen.call({ t: 'window-start' });
    await sleep(seconds * 1000);
    const s = await sink.call<SinkWindow>({ t: 'window-end' });
    const c1 = sampleCpu([gen.pid, sink.pid]);
    const g = await gen.call<GenWindow>({ t: 'window-end', graceMs: 0 });
    return {
      sender: 'trunkscope',
      streams: s.streams,
      ...summary(s),
      senderCpuPct: cpuBetween(c0, c1, gen.pid).cpu,
      receiverCpuPct: cpuBetween(c0, c1, sink.pid).cpu,
      genSkippedFrames: g.skippedFrames,
      genLoopDelayP99Ms: g.loopDelayP99Ms,
    };
  } finally {
    await gen.close();
    await sink.close();
  }
}

function uasAnsweringWith(port: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="concurrent-rtp: UAS whose answer names the jitter receiver">
<recv request="INVITE"/>
<send><![CDATA[

SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]S[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:echo@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sink 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio ${port} RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=ptime:20

]]></send>
<recv request="ACK"/>
<recv request="BYE"/>
<send><![CDATA[

SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
`;
}

export async function sippJitter(
  n: number,
  seconds: number,
  warmupSec: number,
  dir: string,
  toneFile: string,
  rate: number,
): Promise<JitterResult> {
  const sink = forkChild('./sink.ts', 'sink');
  const { port } = await sink.call<{ port: number }>({ t: 'bind' });
  writeFileSync(join(dir, 'uas.xml'), uasAnsweringWith(port));
  const rampMs = (n / rate) * 1000;
  writeFileSync(
    join(dir, 'uac.xml'),
    uacRtpStreamXml(toneFile, Math.round(rampMs + (warmupSec + seconds + 10) * 1000)),
  );
  const uas = startProc(
    'sipp',
    [
      '-sf',
      'uas.xml',
      '-i',
      '127.0.0.1',
      '-p',
      '35080',
      '-cp',
      '35097',
      '-nostdin',
      '-timeout',
      '900s',
    ],
    dir,
    'uas',
  );
  await sleep(500);
  const uac = startProc(
    'sipp',
    [
      '127.0.0.1:35080',
      '-sf',
      'uac.xml',
      '-i',
      '127.0.0.1',
      '-p',
      '35081',
      '-cp',
      '35098',
      '-mi',
      '127.0.0.1',
      '-mp',
      '46100',
      '-r',
      String(rate),
      '-l',
      String(n),
      '-m',
      String(n),
      '-nostdin',
      '-timeout',
      '900s',
    ],
    dir,
    'uac',
  );
  try {
    await sleep(rampMs + warmupSec * 1000 + 1000);
    const c0 = sampleCpu([uac.pid, sink.pid]);
    await sink.call({ t: 'window-start' });
    await sleep(seconds * 1000);
    const s = await sink.call<SinkWindow>({ t: 'window-end' });
    const c1 = sampleCpu([uac.pid, sink.pid]);
    return {
      sender: 'sipp',
      streams: s.streams,
      ...summary(s),
      senderCpuPct: cpuBetween(c0, c1, uac.pid).cpu,
      receiverCpuPct: cpuBetween(c0, c1, sink.pid).cpu,
      genSkippedFrames: null,
      genLoopDelayP99Ms: null,
    };
  } finally {
    await uac.stop(3000);
    await uas.stop(3000);
    await sink.close();
  }
}
