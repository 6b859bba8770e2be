/**
 * Self time per function of a V8 .cpuprofile (node --cpu-prof), top N: where a process's CPU
 * went. `node bench/concurrent-rtp/profile-summary.ts FILE.cpuprofile [--top 25]`
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function summarize(file: string, top = 25): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const n = byId.get(id);
    if (!n) return;
    const cf = n.callFrame;
    const where = cf.url
      ? `${cf.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`
      : '';
    const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const idle = self.get('(idle)') ?? 0;
  const busy = total - idle;
  const rows = [...self.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return [
    `profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`,
    '| self % of busy | self ms | function (file:line) |',
    '|---|---|---|',
    ...rows.map(
      ([k, v]) => `| ${((v / busy) * 100).toFixed(1)} | ${(v / 1000).toFixed(0)} | ${k} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--top');
  console.log(summarize(process.argv[2]!, i > 0 ? Number(process.argv[i + 1]) : 25));
}
