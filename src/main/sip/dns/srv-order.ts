/**
 * RFC 2782 target selection order for one SRV RRset ("Usage rules", p. 3–4):
 * lowest priority first; within a priority, a weighted random selection in which an RR's chance
 * is proportional to its weight, and weight-0 RRs have a very small chance of coming first.
 */
import type { Random } from '../../../shared/seeded-random.ts';
import type { SrvRecord } from './types.ts';

/** Returns a number in [0, 1), like Math.random. Inject a seeded one for repeatable tests. */
export type RandomFn = Random;

/** Target "." (node:dns reports it as "") means "service decidedly not available" (RFC 2782). */
export function isNullTarget(r: SrvRecord): boolean {
  return r.name === '' || r.name === '.';
}

export function orderSrv(
  records: readonly SrvRecord[],
  random: RandomFn = Math.random,
): SrvRecord[] {
  const usable = records.filter((r) => !isNullTarget(r));
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const p of priorities) {
    // RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except that
    // all those with weight 0 are placed at the beginning of the list."
    const left = usable
      .filter((r) => r.priority === p)
      .sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      // "Compute the sum of the weights … choose a uniform random number between 0 and the sum
      // computed (inclusive), and select the RR whose running sum value is the first in the
      // selected order which is greater than or equal to the random number selected."
      const sum = left.reduce((s, r) => s + r.weight, 0);
      const pick = Math.min(sum, Math.floor(random() * (sum + 1)));
      let running = 0;
      let idx = left.length - 1;
      for (let i = 0; i < left.length; i++) {
        running += (left[i] as SrvRecord).weight;
        if (running >= pick) {
          idx = i;
          break;
        }
      }
      out.push(left.splice(idx, 1)[0] as SrvRecord);
    }
  }
  return out;
}

