/**
 * The kernel's per-socket drop counter of a UDP socket (Linux /proc/net/udp and udp6, column
 * `drops`): datagrams the network delivered that this host discarded (receive buffer full) —
 * the `local-drops` cause (docs/diagnosis.md). Undefined where the file does not exist.
 */
import { readFileSync } from 'node:fs';

/** Drops of the UDP socket(s) bound to `port`, summed; undefined when unknown (not Linux). */
export function udpDrops(port: number, files: string[] = ['/proc/net/udp', '/proc/net/udp6']): number | undefined {
  let found = false;
  let drops = 0;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    found = true;
    drops += dropsInTable(text, port);
  }
  return found ? drops : undefined;
}

/** Sum the `drops` column of the rows whose local port is `port` in a /proc/net/udp table. */
export function dropsInTable(text: string, port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let sum = 0;
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 13) continue;
    if (cols[1]!.split(':')[1]?.toUpperCase() !== hexPort) continue;
    const d = Number(cols[cols.length - 1]);
    if (Number.isFinite(d)) sum += d;
  }
  return sum;
}
