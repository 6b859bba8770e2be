/**
 * Count the objects of a V8 heap snapshot by constructor (`node --heapsnapshot-signal=SIGUSR2`,
 * then `kill -USR2 PID`): what stays reachable per finished call.
 *
 *   npx node bench/cps/heap-summary.ts FILE.heapsnapshot [--top 40]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: heap-summary.ts FILE.heapsnapshot [--top N]\n');
  process.exit(2);
}
const topArg = process.argv.indexOf('--top');
const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 40;
const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const width = fields.length;
const fType = fields.indexOf('type');
const fName = fields.indexOf('name');
const fSize = fields.indexOf('self_size');
const byName = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + fType]!]!;
  const size = snap.nodes[i + fSize]!;
  total += size;
  const name =
    type === 'object' || type === 'closure'
      ? `${type === 'closure' ? 'closure ' : ''}${snap.strings[snap.nodes[i + fName]!]!}`
      : `(${type})`;
  const e = byName.get(name) ?? { count: 0, bytes: 0 };
  e.count++;
  e.bytes += size;
  byName.set(name, e);
}
const rows = [...byName].sort((a, b) => b[1].count - a[1].count).slice(0, top);
process.stdout.write(`total self size ${(total / 2 ** 20).toFixed(1)} MiB, ${snap.nodes.length / width} nodes\n`);
for (const [name, e] of rows)
  process.stdout.write(`${String(e.count).padStart(9)} ${(e.bytes / 2 ** 20).toFixed(1).padStart(8)} MiB  ${name.slice(0, 100)}\n`);
