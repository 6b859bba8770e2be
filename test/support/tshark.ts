/**
 * tshark for integration tests: capture on the loopback interface into a temporary pcap, and read
 * Wireshark's own per-stream RTP statistics back out of a capture (`-z rtp,streams`), the figures
 * our measurement must agree with (issue 4).
 *
 * Checked against TShark 4.0.17 (Debian 12):
 * - Capture: `tshark -i lo -n -f BPF -w FILE` prints "Capturing on 'Loopback: lo'" on stderr, but
 *   packets sent in the next few milliseconds can still be missed (seen: an endpoint's first RTP
 *   packet absent while the relay's copy of it, sent 50 µs later, was captured). So after that line
 *   we also send "SYNC" datagrams to a socket of our own, included in the filter, until the pcap
 *   file grows: dumpcap writes each packet to the file as it captures it. SIGINT makes tshark stop
 *   dumpcap, flush the file and exit 0.
 * - Analysis: `tshark -r FILE -q -n -o rtp.heuristic_rtp:TRUE -z rtp,streams`. The preference is
 *   spelled `rtp.heuristic_rtp` (a bool; without it, RTP on ports no SIP/SDP announced is not
 *   dissected as RTP; RTCP's PT 200/201 read as RTP PT 72/73 is rejected by the heuristic). The
 *   table, between lines of `=`, is one header line then one line per stream, whitespace-separated:
 *
 *        Start time      End time     Src IP addr  Port    Dest IP addr  Port       SSRC          Payload  Pkts         Lost   Min Delta(ms)  Mean Delta(ms)   Max Delta(ms)  Min Jitter(ms) Mean Jitter(ms)  Max Jitter(ms) Problems?
 *          0.525115      3.442570       127.0.0.1 42938       127.0.0.1 35092 0x9B308EC3            g711U   146     1 (0.7%)           0.007          20.120          59.850           0.691           8.502          12.391 X
 *
 *   Start/End time are seconds from the first packet of the capture. SSRC is upper-case hex (we
 *   return it lower-case as our report writes it). Payload is one word (g711U, g711A, g722,
 *   telephone-event, or the payload-type number). Lost is "N (P%)" and N can be negative
 *   (duplicates: Wireshark's lost = last seq seen − first seq + 1 − packets). "Problems?" is "X"
 *   when Wireshark flagged a sequence or timestamp problem, else empty. Deltas and jitters are ms
 *   with 3 decimals, so a tshark figure is itself ±0.0005 ms.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, waitForOutput, type Proc } from './processes.ts';

export interface Capture {
  readonly pcap: string;
  readonly proc: Proc;
  /** SIGINT by PID and wait for tshark to flush and exit (bounded). Returns the pcap path. */
  stop(): Promise<string>;
  /** Remove the temporary directory holding the pcap. */
  cleanup(): void;
}

/** A BPF filter for UDP on any of `ports` (RTP ports; each port's RTCP port + 1 is added). */
export function udpPortsFilter(ports: number[], withRtcp = true): string {
  const all = new Set<number>();
  for (const p of ports) {
    all.add(p);
    if (withRtcp) all.add(p + 1);
  }
  return `udp and (${[...all].map((p) => `port ${p}`).join(' or ')})`;
}

const fileSize = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
/** Big enough that a few of them fill dumpcap's 4 KiB write buffer; "SYNC…" is not RTP version 2. */
const syncPayload = Buffer.alloc(1400, 'SYNC');

/**
 * Start capturing on `lo` with `filter`; resolves once packets are really being captured (see the
 * header comment), within `readyMs`. tshark is killed after `maxMs` whatever happens.
 */
export async function startCapture(
  filter: string,
  opts: { readyMs?: number; maxMs?: number; name?: string } = {},
): Promise<Capture> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkscope-cap-'));
  const pcap = join(dir, `${opts.name ?? 'capture'}.pcapng`);
  const sync = createSocket('udp4');
  sync.on('error', () => undefined);
  await new Promise<void>((r) => sync.bind(0, '127.0.0.1', () => r()));
  const syncPort = sync.address().port;
  const closeSync = (): void => {
    try {
      sync.close();
    } catch {
      // Already closed.
    }
  };
  /** Send SYNC datagrams until the file grows past `from` bytes (false after `ms`). */
  const pushThrough = async (from: number, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    for (let i = 0; Date.now() < deadline && i < 1000; i++) {
      for (let k = 0; k < 3; k++) sync.send(syncPayload, syncPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
      if (fileSize(pcap) > from) return true;
    }
    return false;
  };
  const bpf = `(${filter}) or (udp and port ${syncPort})`;
  const proc = startProcess(
    'tshark',
    ['-i', 'lo', '-n', '-q', '-f', bpf, '-w', pcap],
    opts.maxMs ?? 60_000,
  );
  const readyMs = opts.readyMs ?? 10_000;
  try {
    await waitForOutput(proc, 'stderr', (t) => /Capturing on/.test(t), readyMs);
    // The file exists (with its header) once dumpcap has opened the interface.
    const deadline = Date.now() + readyMs;
    for (let i = 0; fileSize(pcap) === 0 && Date.now() < deadline && i < 500; i++)
      await new Promise((r) => setTimeout(r, 20));
    const header = fileSize(pcap);
    if (header === 0 || !(await pushThrough(header, Math.max(0, deadline - Date.now())))) {
      throw new Error(
        `tshark said it was capturing but wrote no packet to ${pcap} within ${readyMs} ms:\n${proc.stderr()}`,
      );
    }
  } catch (e) {
    closeSync();
    await proc.stop('SIGKILL', 1000);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped: Promise<string> | undefined;
  return {
    pcap,
    proc,
    stop() {
      stopped ??= (async () => {
        // Packets wait in the kernel ring until a block is handed to dumpcap; a SIGINT then can lose
        // the last ones. Once our SYNC packets, sent after the traffic, reach the file, all earlier
        // packets have too.
        if (!proc.done()) await pushThrough(fileSize(pcap), 3000);
        closeSync();
        const exit = await proc.stop('SIGINT', 5000);
        if (exit.code !== 0 && exit.signal !== 'SIGINT') {
          throw new Error(`tshark capture ended ${exit.code ?? exit.signal}:\n${proc.stderr()}`);
        }
        if (fileSize(pcap) === 0)
          throw new Error(`tshark wrote no capture file:\n${proc.stderr()}`);
        return pcap;
      })();
      return stopped;
    },
    cleanup() {
      closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TsharkStream {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** "0x…" as tshark prints it (lower-case hex, 8 digits). */
  ssrc: string;
  payload: string;
  packets: number;
  /** Can be negative (duplicates). */
  lost: number;
  lostPercent: number;
  minDelta: number;
  meanDelta: number;
  maxDelta: number;
  minJitter: number;
  meanJitter: number;
  maxJitter: number;
  /** tshark's "Problems?" column was "X". */
  problem: boolean;
}

/** Parse the `-z rtp,streams` table (see the header comment for its shape). */
export function parseRtpStreams(text: string): TsharkStream[] {
  const out: TsharkStream[] = [];
  const num = String.raw`(-?\d+(?:\.\d+)?)`;
  const row = new RegExp(
    String.raw`^\s*(?:[\d.]+\s+[\d.]+\s+)?(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(0x[0-9a-fA-F]+)\s+(\S+)\s+(\d+)\s+(-?\d+)\s+\((-?[\d.]+|nan|-?inf)%\)\s+` +
      [num, num, num, num, num, num].join(String.raw`\s+`) +
      String.raw`\s*(X?)\s*$`,
  );
  for (const line of text.split(/\r?\n/)) {
    const m = row.exec(line);
    if (!m) continue;
    const f = (i: number): number => Number(m[i]);
    out.push({
      src: m[1]!,
      srcPort: f(2),
      dst: m[3]!,
      dstPort: f(4),
      ssrc: `0x${m[5]!.slice(2).toLowerCase().padStart(8, '0')}`,
      payload: m[6]!,
      packets: f(7),
      lost: f(8),
      lostPercent: Number.isFinite(Number(m[9])) ? Number(m[9]) : 0,
      minDelta: f(10),
      meanDelta: f(11),
      maxDelta: f(12),
      minJitter: f(13),
      meanJitter: f(14),
      maxJitter: f(15),
      problem: m[16] === 'X',
    });
  }
  return out;
}

/** Wireshark's RTP streams in `pcap` (every UDP packet that looks like RTP counts). */
export async function rtpStreams(
  pcap: string,
  timeoutMs = 20_000,
  /**
   * Ports to decode as RTP whatever else Wireshark registers on them: a random port can hit a
   * registered dissector (UDP 34980 is EtherCAT) that wins over the RTP heuristic.
   */
  rtpPorts: number[] = [],
): Promise<{ streams: TsharkStream[]; raw: string }> {
  const decodeAs = rtpPorts.flatMap((port) => ['-d', `udp.port==${port},rtp`]);
  const proc = startProcess(
    'tshark',
    ['-r', pcap, '-q', '-n', '-o', 'rtp.heuristic_rtp:TRUE', ...decodeAs, '-z', 'rtp,streams'],
    timeoutMs,
  );
  const exit = await proc.exited;
  const raw = proc.stdout();
  if (exit.code !== 0)
    throw new Error(
      `tshark -z rtp,streams on ${pcap} ended ${exit.code ?? exit.signal}:\n${proc.stderr()}\n${raw}`,
    );
  return { streams: parseRtpStreams(raw), raw };
}

/** The one stream from `src` port to `dst` port (undefined if none; throws if several SSRCs). */
export function findStream(
  streams: TsharkStream[],
  srcPort: number,
  dstPort: number,
): TsharkStream | undefined {
  const hits = streams.filter((s) => s.srcPort === srcPort && s.dstPort === dstPort);
  if (hits.length > 1)
    throw new Error(
      `${hits.length} RTP streams ${srcPort}→${dstPort}: ${hits.map((h) => h.ssrc).join(', ')}`,
    );
  return hits[0];
}

export interface CapturedRtpPacket {
  /** ms since the first packet of the capture (kernel capture timestamp). */
  timeMs: number;
  srcPort: number;
  dstPort: number;
  seq: number;
}

/** Every RTP packet of `pcap` with its capture time, in capture order (`-T fields`). */
export async function rtpPacketTimes(
  pcap: string,
  timeoutMs = 20_000,
): Promise<CapturedRtpPacket[]> {
  const args = [
    '-r',
    pcap,
    '-n',
    '-o',
    'rtp.heuristic_rtp:TRUE',
    '-Y',
    'rtp',
    '-T',
    'fields',
    '-E',
    'separator=,',
  ];
  const proc = startProcess(
    'tshark',
    [
      ...args,
      '-e',
      'frame.time_relative',
      '-e',
      'udp.srcport',
      '-e',
      'udp.dstport',
      '-e',
      'rtp.seq',
    ],
    timeoutMs,
  );
  const exit = await proc.exited;
  if (exit.code !== 0)
    throw new Error(
      `tshark -T fields on ${pcap} ended ${exit.code ?? exit.signal}:\n${proc.stderr()}`,
    );
  const out: CapturedRtpPacket[] = [];
  for (const line of proc.stdout().split('\n')) {
    const [t, sp, dp, seq] = line.trim().split(',');
    if (!t || !seq) continue;
    out.push({
      timeMs: Number(t) * 1000,
      srcPort: Number(sp),
      dstPort: Number(dp),
      seq: Number(seq),
    });
  }
  return out;
}
