/**
 * Diagnostic: what an event-loop stall of the responder (a GC pause, a descheduled process) does
 * to an echo. N bare echo RtpSessions (echo-agent.ts) answer the generator; the echo process is
 * blocked for `ms` every second, `times` times; then its counters: echo queue drops, clock skips,
 * and the frames that never came back.
 *
 *   npx node bench/concurrent-rtp/stall.ts [--calls 100] [--ms 50,100,150,250] [--times 5]
 */
import { forkChild } from './child.ts';
import type { EchoStats } from './echo-agent.ts';
import type { GenWindow } from './generator.ts';
import { sleep } from './measure.ts';

const argv = process.argv.slice(2);
const arg = (f: string, d: string) => (argv.includes(f) ? argv[argv.indexOf(f) + 1]! : d);
const calls = Number(arg('--calls', '100'));
const times = Number(arg('--times', '5'));

for (const ms of arg('--ms', '50,100,150,250').split(',').map(Number)) {
  const echo = forkChild('./echo-agent.ts', 'echo-agent');
  const gen = forkChild('./generator.ts', 'generator');
  try {
    const { ports: echoPorts } = await echo.call<{ ports: number[] }>({
      t: 'open',
      n: calls,
      portMin: 30000,
      portMax: 39999,
    });
    const { ports } = await gen.call<{ ports: number[] }>({
      t: 'open',
      n: calls,
      portMin: 20000,
      portMax: 29999,
    });
    await gen.call({ t: 'remotes', pairs: ports.map((p, i) => [p, echoPorts[i]!]) });
    await sleep(2000);
    const e0 = await echo.call<EchoStats>({ t: 'stats' });
    await gen.call({ t: 'window-start' });
    for (let i = 0; i < times; i++) {
      await echo.call({ t: 'stall', ms });
      await sleep(1000);
    }
    await sleep(2000);
    const e1 = await echo.call<EchoStats>({ t: 'stats' });
    const w = await gen.call<GenWindow>({ t: 'window-end', graceMs: 1000 });
    console.log(
      `${calls} calls, ${times} stalls of ${ms} ms: echo queue dropped ${e1.echoDropped - e0.echoDropped}, ` +
        `echo clock skipped ${e1.skippedFrames - e0.skippedFrames} frames, ` +
        `${w.sent - w.returned} of ${w.sent} frames not returned (${(((w.sent - w.returned) / w.sent) * 100).toFixed(2)} %)`,
    );
  } finally {
    await gen.close();
    await echo.close();
  }
}
