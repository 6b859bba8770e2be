/**
 * Timings of every function that runs a regular expression on remote input, on the adversarial
 * 64 KiB inputs of regex-cases.ts: the slowest input per case, in ms. Run:
 *   node bench/abuse/regex-bench.ts
 */
import { ADVERSARIAL_CASES, N } from './regex-cases.ts';

console.log(`input size ${N} chars; slowest input per case (ms), best of 3`);
for (const c of ADVERSARIAL_CASES) {
  let worst = 0;
  for (const input of c.inputs()) {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      c.run(input);
      best = Math.min(best, performance.now() - t0);
    }
    worst = Math.max(worst, best);
  }
  console.log(`${worst.toFixed(2).padStart(8)}  ${c.name}`);
}
