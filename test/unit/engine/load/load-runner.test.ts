/** The load runner on a fake clock: rate and totals honoured, the concurrency cap, --duration, Stop. */
import { describe, expect, it } from 'vitest';
import { LoadRunner, type LoadCall, type LoadPlan } from '../../../../src/main/engine/load/load-runner.ts';
import type { CallReport } from '../../../../src/shared/model/report.ts';
import type { InviteClient } from '../../../../src/main/sip/ua/invite-client.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const base: LoadPlan = { rate: 10, rampSec: 0, calls: 20, concurrency: 100, callDuration: { min: 1, max: 1 }, seed: 1, intervalSec: 1, keepCalls: 3, drainSec: 5, settleSec: 60 };

function report(outcome: CallReport['outcome'], status: number | null, setupMs: number | null): CallReport {
  return { command: 'call', outcome, finalStatus: status, reason: outcome, callId: 'x', setupMs, durationMs: null, transport: 'udp', local: null, remote: null, startedAt: '', endedAt: '', messages: { sent: 0, received: 0 } };
}

/** Fake calls: every third one rejected with 503; answered ones last their duration unless cancelled. */
function harness(clock: FakeClock, sessionLate = false) {
  const startedAt: number[] = [];
  const cancelled: number[] = [];
  let up = 0;
  let maxUp = 0;
  const startCall = (c: LoadCall): Promise<CallReport> =>
    new Promise((resolve) => {
      startedAt.push(clock.now());
      up++;
      maxUp = Math.max(maxUp, up);
      const listeners: Array<() => void> = [];
      let done = false;
      const finish = (r: CallReport): void => {
        if (done) return;
        done = true;
        up--;
        resolve(r);
      };
      const session = {
        once: (_ev: string, fn: () => void) => listeners.push(fn),
        cancel: () => {
          cancelled.push(c.index);
          finish(report('answered', 200, 10));
        },
      } as unknown as InviteClient;
      // sessionLate: the session exists a little after the start (media opened first, as in the CLI).
      if (sessionLate) clock.setTimer(5, () => c.onSession(session));
      else c.onSession(session);
      if (c.index % 3 === 2) return void clock.setTimer(10, () => finish(report('rejected', 503, null)));
      clock.setTimer(10, () => listeners.forEach((f) => f()));
      clock.setTimer(10 + c.durationSec * 1000, () => finish(report('answered', 200, 10 + (c.index % 5))));
    });
  return { startCall, startedAt, cancelled, maxUp: () => maxUp };
}

async function runFor(clock: FakeClock, runner: LoadRunner, ms: number, step = 5): Promise<Awaited<ReturnType<LoadRunner['run']>>> {
  const p = runner.run();
  let settled = false;
  void p.then(() => (settled = true));
  for (let t = 0; t < ms && !settled; t += step) {
    clock.advance(step);
    await new Promise((r) => setImmediate(r));
  }
  expect(settled).toBe(true);
  return p;
}

describe('LoadRunner', () => {
  it('starts the asked number of calls at the asked rate and counts failures by status', async () => {
    const clock = new FakeClock();
    const h = harness(clock);
    const r = await runFor(clock, new LoadRunner(base, h.startCall, { clock }), 10_000);
    expect(h.startedAt).toHaveLength(20);
    expect(h.startedAt[19]).toBeGreaterThanOrEqual(1900);
    expect(h.startedAt[19]).toBeLessThan(1910);
    expect(r).toMatchObject({ command: 'load', attempted: 20, answered: 14, failed: 6, cpsTarget: 10, stoppedBy: 'calls' });
    expect(r.byStatus).toEqual({ '200': 14, '503': 6 });
    expect(r.byCause).toEqual({ answered: 14, rejected: 6 });
    expect(r.asr).toBeCloseTo(0.7, 4);
    expect(r.cpsAchieved).toBeCloseTo(10, 0);
    expect(r.setupMs).toEqual({ p50: 12, p95: 14, p99: 14, max: 14 });
    expect(r.calls).toHaveLength(6); // first 3 and last 3
    expect(r.intervals.reduce((n, iv) => n + iv.started, 0)).toBe(20);
  });

  it('lets calls whose session comes after the last start run to their end (no hang-up on a natural stop)', async () => {
    const clock = new FakeClock();
    const h = harness(clock, true);
    const r = await runFor(clock, new LoadRunner({ ...base, calls: 3 }, h.startCall, { clock }), 10_000);
    expect(r.stoppedBy).toBe('calls');
    expect(h.cancelled).toEqual([]);
    expect(r.attempted).toBe(3);
  });

  it('never has more than --concurrency calls up, and goes on as slots free', async () => {
    const clock = new FakeClock();
    const h = harness(clock);
    const r = await runFor(clock, new LoadRunner({ ...base, rate: 100, calls: 12, concurrency: 4 }, h.startCall, { clock }), 20_000);
    expect(h.maxUp()).toBe(4);
    expect(r.maxConcurrent).toBe(4);
    expect(r.attempted).toBe(12);
  });

  it('stops starting calls after --duration', async () => {
    const clock = new FakeClock();
    const h = harness(clock);
    const r = await runFor(clock, new LoadRunner({ ...base, rate: 2, calls: 1000, durationSec: 3 }, h.startCall, { clock }), 20_000);
    expect(h.startedAt).toHaveLength(6); // t = 0, 0.5, … 2.5
    expect(r.stoppedBy).toBe('duration');
  });

  it('Stop hangs up every running call and reports what ran', async () => {
    const clock = new FakeClock();
    const h = harness(clock);
    const runner = new LoadRunner({ ...base, callDuration: { min: 30, max: 30 }, calls: 100 }, h.startCall, { clock });
    clock.setTimer(1_000, () => runner.stop('signal'));
    const r = await runFor(clock, runner, 10_000);
    expect(r.stoppedBy).toBe('signal');
    expect(r.attempted).toBe(h.startedAt.length);
    expect(h.startedAt.length).toBeGreaterThanOrEqual(10);
    expect(h.startedAt.length).toBeLessThanOrEqual(11);
    // Every call still up was hung up (the rejected ones had already ended).
    expect(h.cancelled.length).toBe(h.startedAt.length - r.byStatus['503']!);
    expect(r.elapsedSec).toBeLessThan(2);
  });
});

describe('reportFromRaw (worker threads merged)', () => {
  it('adds counts, pools percentiles and lines intervals up by position', async () => {
    const { reportFromRaw } = await import('../../../../src/main/engine/load/load-tally.ts');
    const part = (setup: number[], failed: number, status: Record<string, number>, t0: number) => ({
      started: setup.length + failed, ended: setup.length + failed, failed, maxConcurrent: 3, firstStartAt: t0, lastStartAt: t0 + 1000,
      setup, loss: [], jitter: [], mos: [], oneWay: 0, byStatus: status, byCause: { answered: setup.length, ...(failed ? { rejected: failed } : {}) }, retransmissions: 1,
      intervals: [{ t: 1, started: 2, answered: 2, failed: 0, concurrent: 2 }, { t: 2, started: 1, answered: 0, failed: failed, concurrent: 2 }],
      first: [], last: [],
    });
    const r = reportFromRaw([part([10, 20], 1, { '200': 2, '503': 1 }, 0), part([30, 40], 0, { '200': 2 }, 50)], 4, 10);
    expect(r).toMatchObject({ attempted: 5, answered: 4, failed: 1, byStatus: { '200': 4, '503': 1 }, byCause: { answered: 4, rejected: 1 }, retransmissions: 2, maxConcurrent: 4 });
    expect(r.setupMs).toEqual({ p50: 20, p95: 40, p99: 40, max: 40 });
    expect(r.intervals).toEqual([{ t: 1, started: 4, answered: 4, failed: 0, concurrent: 4 }, { t: 2, started: 2, answered: 0, failed: 1, concurrent: 4 }]);
    expect(r.cpsAchieved).toBeCloseTo(4 / 1.05, 2);
  });
});
