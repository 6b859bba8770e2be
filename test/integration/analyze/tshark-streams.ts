/**
 * `tshark -r FILE -q -o rtp.heuristic_rtp:TRUE -z rtp,streams`, run and parsed.
 *
 * Column layout of TShark 4.0 (ui/cli/tap-rtp.c `rtpstreams_stat_draw_cb`), one line per stream
 * between two rows of "=":
 *   Start time, End time (s, %13.6f) · Src IP addr · Port · Dest IP addr · Port · SSRC (0x%08X) ·
 *   Payload (%16s; several names joined by ", " when the stream changed payload type) · Pkts ·
 *   Lost ("%5d (%.1f%%)") · Min Delta(ms) · Mean Delta(ms) · Max Delta(ms) · Min Jitter(ms) ·
 *   Mean Jitter(ms) · Max Jitter(ms) (all %15.3f) · Problems? ("X" or empty)
 * Older TShark (≤ 3.4) printed only Max Delta, Max Jitter and Mean Jitter after Lost; the parser
 * reads the header line to know which columns follow.
 */
import { startProcess } from '../../support/processes.ts';

export interface TsharkStream {
  startS: number;
  endS: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ssrc: number;
  payload: string;
  packets: number;
  lost: number;
  lostPercent: number;
  minDeltaMs?: number;
  meanDeltaMs?: number;
  maxDeltaMs: number;
  minJitterMs?: number;
  meanJitterMs: number;
  maxJitterMs: number;
  problem: boolean;
}

const TAIL: Record<string, keyof TsharkStream> = {
  'Min Delta(ms)': 'minDeltaMs',
  'Mean Delta(ms)': 'meanDeltaMs',
  'Max Delta(ms)': 'maxDeltaMs',
  'Min Jitter(ms)': 'minJitterMs',
  'Mean Jitter(ms)': 'meanJitterMs',
  'Max Jitter(ms)': 'maxJitterMs',
};

const LINE =
  /^\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-Fa-f]+)\s+(.+?)\s+(\d+)\s+(-?\d+)\s+\((-?[\d.]+|-?nan|-?inf)%\)\s+(.*)$/;

export function parseRtpStreams(text: string): TsharkStream[] {
  const lines = text.split('\n');
  const header = lines.find((l) => l.includes('Src IP addr'));
  if (!header) throw new Error(`no rtp,streams table in tshark output:\n${text}`);
  const tailCols = Object.keys(TAIL)
    .map((name) => ({ name, at: header.indexOf(name) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((c) => TAIL[c.name]!);
  const out: TsharkStream[] = [];
  for (const l of lines) {
    const m = LINE.exec(l);
    if (!m) continue;
    const rest = m[12]!.trim().split(/\s+/);
    const s: TsharkStream = {
      startS: Number(m[1]),
      endS: Number(m[2]),
      src: m[3]!,
      srcPort: Number(m[4]),
      dst: m[5]!,
      dstPort: Number(m[6]),
      ssrc: Number.parseInt(m[7]!, 16),
      payload: m[8]!,
      packets: Number(m[9]),
      lost: Number(m[10]),
      lostPercent: Number(m[11]),
      maxDeltaMs: 0,
      meanJitterMs: 0,
      maxJitterMs: 0,
      problem: rest[tailCols.length] === 'X',
    };
    tailCols.forEach((k, i) => ((s as unknown as Record<string, number>)[k] = Number(rest[i])));
    out.push(s);
  }
  return out;
}

/** Run tshark's RTP stream statistics on `file` (bounded to 60 s). */
export async function tsharkRtpStreams(
  file: string,
  /** Ports decoded as RTP regardless of other dissectors registered on them (UDP 34980: EtherCAT). */
  rtpPorts: number[] = [],
): Promise<{ streams: TsharkStream[]; raw: string }> {
  const decodeAs = rtpPorts.flatMap((port) => ['-d', `udp.port==${port},rtp`]);
  const p = startProcess(
    'tshark',
    ['-n', '-r', file, '-q', '-o', 'rtp.heuristic_rtp:TRUE', ...decodeAs, '-z', 'rtp,streams'],
    60_000,
  );
  const exit = await p.exited;
  if (exit.code !== 0) throw new Error(`tshark exited ${exit.code}: ${p.stderr()}`);
  return { streams: parseRtpStreams(p.stdout()), raw: p.stdout() };
}
