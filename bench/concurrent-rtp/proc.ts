/**
 * Linux /proc readings for the concurrent-rtp bench: CPU time of a process (all threads), time
 * it waited for a CPU (run queue, all threads), the whole machine's busy time, and per-socket UDP
 * drop counters.
 *
 * On 127.0.0.1 a datagram is either queued on the receiving socket or dropped there because its
 * receive buffer is full; the kernel counts that drop on the socket (the `drops` column of
 * /proc/net/udp). So per-port drop deltas say exactly which side lost packets, for SIPp too.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

import { cpuMs } from '../../test/support/proc-stats.ts';

export { cpuMs };

/** ms the threads of `pid` spent runnable but waiting for a CPU (schedstat field 2). */
export function runQueueWaitMs(pid: number): number {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'latin1').split(' ')[1]);
      } catch {
        // thread gone
      }
    }
    return ns / 1e6;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (all CPUs), from /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const v = cpu.map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: number;
  procs: Map<number, { cpu: number; wait: number }>;
  machine: { busy: number; total: number };
}

export function sampleCpu(pids: number[]): CpuSample {
  const procs = new Map<number, { cpu: number; wait: number }>();
  for (const p of pids) procs.set(p, { cpu: cpuMs(p), wait: runQueueWaitMs(p) });
  return { at: performance.now(), procs, machine: machineJiffies() };
}

export interface CpuUse {
  /** % of one core over the interval. */
  cpu: number;
  /** ms per s spent waiting for a CPU. */
  waitMsPerS: number;
}

export function cpuBetween(a: CpuSample, b: CpuSample, pid: number): CpuUse {
  const s = (b.at - a.at) / 1000;
  const x = a.procs.get(pid);
  const y = b.procs.get(pid);
  if (!x || !y) return { cpu: NaN, waitMsPerS: NaN };
  return { cpu: ((y.cpu - x.cpu) / 1000 / s) * 100, waitMsPerS: (y.wait - x.wait) / s };
}

/** Whole machine busy, in % of one core (2 cores → up to 200 %). */
export function machineBusyPercent(a: CpuSample, b: CpuSample, cores: number): number {
  const total = b.machine.total - a.machine.total;
  return total > 0 ? ((b.machine.busy - a.machine.busy) / total) * 100 * cores : NaN;
}

/** Drop counters of every IPv4/IPv6 UDP socket bound to one of `ports` on any address. */
export function udpDrops(ports: Iterable<number>): Map<number, number> {
  const want = new Set(ports);
  const out = new Map<number, number>();
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const cols = lines[i]!.trim().split(/\s+/);
      if (cols.length < 13) continue;
      const local = cols[1]!;
      const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (!want.has(port)) continue;
      out.set(port, (out.get(port) ?? 0) + Number(cols[12]));
    }
  }
  return out;
}

export function sumDrops(before: Map<number, number>, after: Map<number, number>): number {
  let d = 0;
  for (const [port, n] of after) d += n - (before.get(port) ?? 0);
  return d;
}

/** Local UDP ports of every socket the process `pid` holds (via its fd → socket inode links). */
export function udpPortsOfPid(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // fd closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    let lines: string[];
    try {
      lines = readFileSync(f, 'latin1').split('\n');
    } catch {
      continue;
    }
    for (let i = 1; i < lines.length; i++) {
      const cols = lines[i]!.trim().split(/\s+/);
      if (cols.length < 13 || !inodes.has(cols[9]!)) continue;
      const local = cols[1]!;
      ports.push(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}
