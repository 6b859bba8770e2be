/**
 * `trunkscope diagnose FILE [--call-id ID] [--json]`: every call in a pcap/pcapng capture with its
 * ladder, outcome, RTP streams and the diagnosis a live call gets (docs/diagnosis.md). Exit 0 when
 * every call's verdict is ok or degraded, 1 when one failed or no call was found, 2 when the file
 * cannot be read or is not a capture.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { bundleCallsFromCapture, diagnoseCapture, formatCapture, supportBundle } from '../../../engine/index.ts';
import { BUNDLE_HELP, checkBundlePath, writeBundle } from '../bundle-option.ts';

interface DiagnoseOpts {
  json?: boolean;
  callId?: string;
  bundle?: string;
}

export function registerDiagnose(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  program
    .command('diagnose')
    .description("diagnose every call in a pcap/pcapng capture: SIP ladder, outcome, RTP streams and the verdict with evidence (frame numbers)")
    .argument('<file>', 'capture file (pcap or pcapng; Ethernet, Linux cooked SLL/SLL2, raw IP)')
    .option('--call-id <id>', 'only the call with this Call-ID')
    .option('--json', 'print one JSON object')
    .option('--bundle <file.zip>', `${BUNDLE_HELP}; one set of files per call (--call-id: that call only)`)
    .action((file: string, o: DiagnoseOpts) =>
      run(async () => {
        const fail = (code: number, reason: string, message: string): number => {
          process.stderr.write(`trunkscope: ${file}: ${message}\n`);
          if (o.json) process.stdout.write(`${JSON.stringify({ command: 'diagnose', file, ok: false, reason, message }, null, 2)}\n`);
          return code;
        };
        if (o.bundle !== undefined) checkBundlePath(o.bundle);
        let buf: Buffer;
        try {
          buf = await readFile(file);
        } catch (err) {
          return fail(2, 'unreadable', `cannot read: ${(err as Error).message}`);
        }
        const r = diagnoseCapture(buf, { callId: o.callId });
        if (!r.ok) return fail(2, r.reason, r.message);
        if (o.json) process.stdout.write(`${JSON.stringify({ command: 'diagnose', file, ...r }, null, 2)}\n`);
        else process.stdout.write(formatCapture(file, r));
        if (r.calls.length === 0) return 1;
        if (o.bundle !== undefined && !writeBundle(o.bundle, supportBundle({ command: 'diagnose', source: file, calls: bundleCallsFromCapture(buf, r.calls) }).zip)) return 1;
        return r.calls.some((c) => c.report.diagnosis?.verdict === 'failed') ? 1 : 0;
      }),
    );
}
