/** Live progress of `trunkscope load`: rewritten in place on a terminal, a line per interval otherwise. */
import { describe, expect, it } from 'vitest';
import { LoadProgressView, progressLine } from '../../../../src/main/shells/cli/load-progress.ts';
import type { LoadPlan, LoadProgress } from '../../../../src/main/engine/index.ts';

const plan = { rate: 20, calls: 200, concurrency: 50 } as LoadPlan;
const p: LoadProgress = { elapsedSec: 3.04, started: 61, answered: 58, failed: 2, ended: 20, concurrent: 39, rate: 20, asr: 58 / 60, setupP95: 123.4, lostPackets: 7 };

function sink(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const out = { isTTY, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { out, text: () => text };
}

describe('load progress', () => {
  it('names started/answered/failed, rate, concurrency, ASR, setup p95 and packets lost', () => {
    expect(progressLine(p, plan)).toBe('t=3.0s  started 61/200  answered 58  failed 2  rate 20/20 cps  up 39/50  ASR 96.7%  setup p95 123 ms  lost 7 pkts');
  });

  it('rewrites one line on a terminal and prints a line per interval elsewhere', () => {
    const tty = sink(true);
    const v = new LoadProgressView(tty.out, plan);
    v.update(p);
    v.update({ ...p, started: 62 });
    v.note('stopping');
    v.done();
    const erase = '\r\u001b[2K';
    const text = tty.text();
    expect(text.startsWith(`${erase}t=3.0s  started 61/200`)).toBe(true);
    expect(text).toContain(`${erase}t=3.0s  started 62/200`);
    expect(text.endsWith('lost 7 pkts\nstopping\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    const pipe = sink(false);
    const w = new LoadProgressView(pipe.out, plan);
    w.update(p);
    w.update({ ...p, started: 62 });
    w.done();
    expect(pipe.text().split('\n')).toHaveLength(3);
    expect(pipe.text()).not.toContain('\u001b');
  });
});
