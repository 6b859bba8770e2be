/**
 * Test helper for the diagnosis tests: run `trunkscope call` against a SIPp callee while tshark
 * captures the call on lo, then run `trunkscope diagnose` on that capture — so a test can assert
 * that the live report and the capture name the same cause.
 */
import { explain, runCli, type CliResult } from './cli.ts';
import { freePort } from './ports.ts';
import { explainSipp, startSipp, type SippOptions, type SippResult } from './sipp.ts';
import { finishSipp } from './sip-flows.ts';
import { startCapture } from './tshark.ts';

export interface DiagnosedCapture {
  calls?: Array<{
    callId: string;
    frames: number[];
    ladder: Array<{ firstLine: string; dir: string }>;
    report: {
      outcome: string;
      finalStatus: number | null;
      diagnosis?: { verdict: string; causes: Array<{ code: string; summary: string; evidence: Array<{ ref: string; text: string }> }> };
      media?: { received: { packets: number; audio?: { activeMs: number; silentMs: number } } };
    };
  }>;
  warnings?: string[];
}

export interface CapturedCallResult {
  cli: CliResult;
  sipp: SippResult;
  diag: DiagnosedCapture;
  diagCode: number | null;
  why: string;
}

export async function captureCallToSipp(scenario: string, callArgs: string[], sipp: Partial<SippOptions> = {}): Promise<CapturedCallResult> {
  const port = await freePort();
  const rtp = await freePort(20);
  const cap = await startCapture(`udp port ${port} or udp portrange ${rtp}-${rtp + 19}`, { name: 'call' });
  try {
    const run = await startSipp({ scenario, localPort: port, service: 'echo', timeoutMs: 20_000, ...sipp });
    await run.ready;
    const cli = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--json', '--trace', '--rtp-ports', `${rtp}-${rtp + 19}`, ...callArgs], { timeoutMs: 30_000 });
    const sippResult = await finishSipp(run, 5000);
    const pcap = await cap.stop();
    const id = cli.json?.callId ?? '?';
    const diag = await runCli(['diagnose', pcap, '--json', '--call-id', id], { timeoutMs: 30_000 });
    const text = await runCli(['diagnose', pcap, '--call-id', id], { timeoutMs: 30_000 });
    const why = `${explain(cli)}\n---\n${explainSipp(sippResult)}\n--- diagnose:\n${text.stdout}\n${diag.stderr}`;
    let parsed: DiagnosedCapture = {};
    try {
      parsed = JSON.parse(diag.stdout) as DiagnosedCapture;
    } catch {
      // Left empty: the assertions on it fail with `why`.
    }
    return { cli, sipp: sippResult, diag: parsed, diagCode: diag.code, why };
  } finally {
    cap.cleanup();
  }
}
