/**
 * Resident memory and CPU time of a process we started, read from Linux /proc (proc(5)): the
 * abuse suite and the benches (bench/abuse, cps, concurrent-rtp) watch processes with these.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (getconf CLK_TCK: 100 on Linux x86 and arm). */
export const CLK_TCK = 100;

/** A "Name:  N kB" line of /proc/PID/status in KiB; NaN when the process is gone. */
function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Current resident set (VmRSS) in KiB; NaN when the process is gone. */
export const vmRssKiB = (pid: number): number => statusKiB(pid, 'VmRSS');

/** Peak resident set so far (VmHWM) in KiB; NaN when the process is gone. */
export const vmHwmKiB = (pid: number): number => statusKiB(pid, 'VmHWM');

/** utime + stime of a process (all its threads) in ms; NaN when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // After "(comm)" the state is field 3; utime is field 14, stime 15 (1-based, proc(5)).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Open file descriptors of a process (sockets included); NaN when it is gone. */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}
