/**
 * `trunkscope analyze FILE`: RTP statistics of every stream in a pcap/pcapng capture, computed as
 * Wireshark computes them (docs/quality.md), plus MOS. Exit 0 with streams, 1 when the capture
 * holds no RTP, 2 when the file cannot be read or is not a capture.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { analyzeCapture, formatStream } from '../../../engine/index.ts';

interface AnalyzeOpts {
  json?: boolean;
}

export function registerAnalyze(
  program: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
): void {
  program
    .command('analyze')
    .description(
      'RTP stream statistics (loss, jitter, max delta as Wireshark computes them; MOS) of a pcap/pcapng capture',
    )
    .argument('<file>', 'capture file (pcap or pcapng)')
    .option('--json', 'print one JSON object')
    .action((file: string, o: AnalyzeOpts) =>
      run(async () => {
        const fail = (
          code: number,
          reason: string,
          message: string,
          extra: object = {},
        ): number => {
          process.stderr.write(`trunkscope: ${file}: ${message}\n`);
          if (o.json)
            process.stdout.write(
              `${JSON.stringify({ command: 'analyze', file, ok: false, reason, message, ...extra }, null, 2)}\n`,
            );
          return code;
        };
        let buf: Buffer;
        try {
          buf = await readFile(file);
        } catch (err) {
          return fail(2, 'unreadable', `cannot read: ${(err as Error).message}`);
        }
        const r = analyzeCapture(buf);
        if (!r.ok) return fail(2, r.reason, r.message);
        const summary = {
          format: r.format,
          frames: r.decode.frames,
          udp: r.decode.udp,
          fragments: r.decode.fragments,
          sdpEndpoints: r.sdpEndpoints,
        };
        if (r.streams.length === 0) {
          for (const w of r.warnings) process.stderr.write(`trunkscope: ${file}: warning: ${w}\n`);
          return fail(1, 'no-rtp', r.noRtpReason ?? 'no RTP streams', {
            ...summary,
            streams: [],
            warnings: r.warnings,
          });
        }
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify({ command: 'analyze', file, ok: true, ...summary, streams: r.streams, warnings: r.warnings }, null, 2)}\n`,
          );
        } else {
          const lines = [
            `${file}: ${r.format}, ${r.decode.frames} frames, ${r.decode.udp} UDP datagrams, ${r.streams.length} RTP stream${r.streams.length === 1 ? '' : 's'}`,
          ];
          r.streams.forEach((s, i) => lines.push(...formatStream(s, i)));
          for (const w of r.warnings) lines.push(`warning: ${w}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return 0;
      }),
    );
}
