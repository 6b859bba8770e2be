/**
 * The two shapes of a SIPp interop test:
 * - `callSippUas`: SIPp plays a callee scenario (uas-*.xml), our `trunkscope call` calls it;
 * - `sippUacToListen`: our `trunkscope listen` answers, SIPp plays a caller scenario (uac-*.xml).
 * Both bound every wait and stop what they started; both return SIPp's result and our report.
 */
import { explain, runCli, startListen, type CliResult } from './cli.ts';
import { freePort } from './ports.ts';
import { explainSipp, startSipp, type SippOptions, type SippResult, type SippRun } from './sipp.ts';

export type SipTransport = 'udp' | 'tcp';

export const sippTransport = (t: SipTransport): 'u1' | 't1' => (t === 'udp' ? 'u1' : 't1');

/** Wait for SIPp's own end, but at most `graceMs` more before stopping it by PID. */
export async function finishSipp(run: SippRun, graceMs: number): Promise<SippResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<SippResult>((resolve) => {
    timer = setTimeout(() => resolve(run.stop()), graceMs);
  });
  try {
    return await Promise.race([run.result, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface UasFlow {
  cli: CliResult;
  sipp: SippResult;
  port: number;
  /** Both sides, for assertion messages. */
  why: string;
}

/**
 * Start SIPp with `scenario` as the callee on a free port, then run `trunkscope call
 * sip:USER@127.0.0.1:PORT --transport T --json --trace ...callArgs`.
 */
export async function callSippUas(
  scenario: string,
  transport: SipTransport,
  callArgs: string[],
  o: {
    user?: string;
    /** More SIPp options; a function gets SIPp's port (e.g. for -set values that depend on the URI). */
    sipp?: Partial<SippOptions> | ((port: number) => Partial<SippOptions>);
    cliTimeoutMs?: number;
    sippGraceMs?: number;
    /** The CLI's stdin text and extra environment (runCli's `input` and `env`). */
    cli?: { input?: string; env?: Record<string, string> };
  } = {},
): Promise<UasFlow> {
  const port = await freePort();
  const user = o.user ?? 'echo';
  const more = typeof o.sipp === 'function' ? o.sipp(port) : o.sipp;
  const run = await startSipp({ scenario, localPort: port, transport: sippTransport(transport), service: user, timeoutMs: 20_000, ...more });
  await run.ready;
  const uri = `sip:${user}@127.0.0.1:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`;
  const cli = await runCli(['call', uri, '--transport', transport, '--json', '--trace', ...callArgs], { timeoutMs: o.cliTimeoutMs ?? 30_000, ...o.cli });
  const sipp = await finishSipp(run, o.sippGraceMs ?? 5000);
  return { cli, sipp, port, why: `${explain(cli)}\n---\n${explainSipp(sipp)}` };
}

export interface UacFlow {
  listen: CliResult;
  sipp: SippResult;
  port: number;
  why: string;
}

/**
 * Start `trunkscope listen --bind 127.0.0.1 --port P --transport T --json --trace ...listenArgs`,
 * run SIPp's caller `scenario` against it, then stop the listener (SIGTERM) and read its report.
 */
export async function sippUacToListen(
  scenario: string,
  transport: SipTransport,
  listenArgs: string[],
  o: { sipp?: Partial<SippOptions>; settleMs?: number } = {},
): Promise<UacFlow> {
  const port = await freePort();
  const sippPort = await freePort();
  const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', transport, '--json', '--trace', '--duration', '50', ...listenArgs]);
  try {
    await listener.ready;
  } catch (err) {
    await listener.stop();
    throw err;
  }
  const run = await startSipp({
    scenario,
    remote: `127.0.0.1:${port}`,
    localPort: sippPort,
    transport: sippTransport(transport),
    service: 'echo',
    timeoutMs: 20_000,
    ...o.sipp,
  });
  const sipp = await finishSipp(run, 25_000);
  // Let the listener finish the call's last transaction before it is told to stop.
  await new Promise((r) => setTimeout(r, o.settleMs ?? 200));
  const listen = await listener.stop();
  return { listen, sipp, port, why: `${explainSipp(sipp)}\n---\n${explain(listen)}` };
}
