import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../support/fake-clock.ts';
import { TimerQueue, type QueueTimerOwner } from '../../../../src/main/sip/transaction/timer-queue.ts';

function owner(log: string[], name: string): QueueTimerOwner & { token: number } {
  const o = {
    token: 0,
    onQueueTimer(t: number): boolean {
      if (t !== o.token) return false;
      o.token = 0;
      log.push(name);
      return true;
    },
  };
  return o;
}

describe('TimerQueue (one clock timer for every Timer L / J)', () => {
  it('fires each entry at its own deadline, in order, with one clock timer at a time', () => {
    const clock = new FakeClock();
    const q = new TimerQueue(clock, 1000);
    const log: string[] = [];
    const a = owner(log, 'a');
    const b = owner(log, 'b');
    a.token = q.add(a);
    clock.advance(300);
    b.token = q.add(b);
    expect(clock.scheduled).toBe(1);
    clock.advance(699);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['a']);
    clock.advance(299);
    expect(log).toEqual(['a']);
    clock.advance(1);
    expect(log).toEqual(['a', 'b']);
    expect(clock.scheduled).toBe(0);
  });

  it('skips cancelled entries and stops the clock timer when nothing is left', () => {
    const clock = new FakeClock();
    const q = new TimerQueue(clock, 1000);
    const log: string[] = [];
    const a = owner(log, 'a');
    const b = owner(log, 'b');
    a.token = q.add(a);
    b.token = q.add(b);
    a.token = 0;
    q.cancel();
    clock.advance(1000);
    expect(log).toEqual(['b']);
    const c = owner(log, 'c');
    c.token = q.add(c);
    c.token = 0;
    q.cancel();
    expect(clock.scheduled).toBe(0);
  });

  it('takes new entries while firing', () => {
    const clock = new FakeClock();
    const q = new TimerQueue(clock, 100);
    const log: string[] = [];
    const b = owner(log, 'b');
    const a = {
      token: 0,
      onQueueTimer(t: number): boolean {
        if (t !== a.token) return false;
        log.push('a');
        b.token = q.add(b);
        return true;
      },
    };
    a.token = q.add(a);
    clock.advance(100);
    clock.advance(100);
    expect(log).toEqual(['a', 'b']);
    expect(clock.scheduled).toBe(0);
  });
});
