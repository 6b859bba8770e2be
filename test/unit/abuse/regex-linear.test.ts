/**
 * Every regular expression run on remote input (sip/syntax, sdp, engine/trace, engine/analyze,
 * media), driven through the function that runs it with long adversarial inputs (64 KiB, a whole
 * datagram): runs of the characters each expression repeats, with the one character that makes it
 * fail at the end. A super-linear expression costs seconds here (the old Call-ID expression took
 * 257 ms on 16 000 spaces, so ~4 s on 64 K); a linear one well under a millisecond per KiB. The
 * bound (250 ms per input) is generous so CPU contention does not fail it; timings per case are in
 * bench/abuse/README.md (bench/abuse/regex-bench.ts).
 */
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_CASES } from '../../../bench/abuse/regex-cases.ts';

const BOUND_MS = 250;

describe('regular expressions on remote input stay linear', () => {
  for (const c of ADVERSARIAL_CASES) {
    it(c.name, () => {
      for (const input of c.inputs()) {
        const t0 = performance.now();
        c.run(input);
        const ms = performance.now() - t0;
        expect(ms, `${c.name} on ${input.length} chars`).toBeLessThan(BOUND_MS);
      }
    });
  }
});
