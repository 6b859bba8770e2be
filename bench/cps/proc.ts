/** Linux /proc and SIPp statistics helpers for the cps bench. */
import { readFileSync } from 'node:fs';
import { CLK_TCK, cpuMs, vmHwmKiB } from '../../test/support/proc-stats.ts';

export { cpuMs };

/** Busy time of all CPUs since boot (user+nice+system+irq+softirq+steal from /proc/stat), ms. */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'latin1')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
}

/** Peak resident set (VmHWM) in KiB, or null. */
export function readRss(pid: number): number | null {
  const kib = vmHwmKiB(pid);
  return Number.isNaN(kib) ? null : kib;
}

/** Is some socket bound to UDP port `port` (IPv4 or IPv6)? */
export function udpPortBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    try {
      const lines = readFileSync(f, 'latin1').split('\n');
      for (const l of lines.slice(1)) {
        const local = l.trim().split(/\s+/)[1];
        if (local && `${local.slice(local.indexOf(':'))} `.toUpperCase() === hex) return true;
      }
    } catch {
      // no such table
    }
  }
  return false;
}

/** dash/bash `times` output: line 2 is the children's user and system time. Returns ms. */
export function parseTimes(text: string): number {
  const lines = text.trim().split('\n');
  const children = lines[1] ?? '';
  let total = 0;
  let found = 0;
  for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) {
    total += Number(m[1]) * 60_000 + Number(m[2]) * 1000;
    found++;
  }
  return found === 2 ? Math.round(total) : NaN;
}

/** Rows of a SIPp `-trace_stat` CSV (';'-separated, header first) as name → value maps. */
export function periodRows(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return [];
  const names = lines[0]!.split(';');
  return lines.slice(1).map((l) => {
    const cells = l.split(';');
    const row: Record<string, string> = {};
    names.forEach((n, i) => (row[n] = cells[i] ?? ''));
    return row;
  });
}

/** The final statistics line (cumulative "(C)" columns hold the whole run). */
export function lastCsvRow(text: string): Record<string, string> | undefined {
  const rows = periodRows(text);
  return rows[rows.length - 1];
}

export function num(v: string | undefined): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Epoch seconds from SIPp's "date\ttime\tepoch" time fields. */
export function epochOf(field: string | undefined): number {
  const parts = (field ?? '').split('\t');
  return num(parts[parts.length - 1]);
}

/**
 * Wait until the machine is quiet: everything together uses less than `maxCores` of CPU for
 * `seconds` consecutive seconds (call it while this bench's own processes are idle). Gives up after
 * `timeoutSec`. Returns the seconds waited and the last second's load, in cores.
 */
export async function waitQuiet(
  maxCores: number,
  seconds: number,
  timeoutSec: number,
): Promise<{ waitedSec: number; loadCores: number }> {
  const start = Date.now();
  let quiet = 0;
  for (;;) {
    const b0 = machineBusyMs();
    await new Promise((r) => setTimeout(r, 1000));
    const load = (machineBusyMs() - b0) / 1000;
    quiet = load < maxCores ? quiet + 1 : 0;
    const waited = (Date.now() - start) / 1000;
    if (quiet >= seconds || waited >= timeoutSec)
      return { waitedSec: Math.round(waited), loadCores: Math.round(load * 100) / 100 };
  }
}
