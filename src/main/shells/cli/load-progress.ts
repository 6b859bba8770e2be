/**
 * Live progress of `trunkscope load`: one line rewritten in place on a terminal, or a plain line
 * per interval when the output is a file or a pipe (CI logs).
 */
import type { LoadPlan, LoadProgress } from '../../engine/index.ts';

type Out = NodeJS.WriteStream;

export class LoadProgressView {
  private readonly out: Out;
  private readonly tty: boolean;
  private readonly plan: LoadPlan;
  private drawn = false;

  constructor(out: Out, plan: LoadPlan) {
    this.out = out;
    this.tty = out.isTTY === true;
    this.plan = plan;
  }

  update(p: LoadProgress): void {
    const line = progressLine(p, this.plan);
    if (this.tty) {
      // \r + erase line (ECMA-48 EL): redraw in place.
      this.out.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else this.out.write(`${line}\n`);
  }

  /** A message of its own (on a terminal: below the progress line, which is then drawn again). */
  note(text: string): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
    this.out.write(`${text}\n`);
  }

  done(): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

export function progressLine(p: LoadProgress, plan: LoadPlan): string {
  const total = plan.calls >= 10_000_000 ? '' : `/${plan.calls}`;
  const setup = p.setupP95 === null ? '-' : `${Math.round(p.setupP95)} ms`;
  return [
    `t=${p.elapsedSec.toFixed(1)}s`,
    `started ${p.started}${total}`,
    `answered ${p.answered}`,
    `failed ${p.failed}`,
    `rate ${round(p.rate)}/${plan.rate} cps`,
    `up ${p.concurrent}/${plan.concurrency}`,
    `ASR ${Math.round(p.asr * 1000) / 10}%`,
    `setup p95 ${setup}`,
    `lost ${p.lostPackets} pkts`,
  ].join('  ');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
