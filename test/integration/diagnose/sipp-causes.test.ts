/**
 * Issue 11 with a real peer: a SIPp callee rejecting with 403, 404, 486, 488 and 503. The live
 * report of `trunkscope call` and `trunkscope diagnose` on a capture of the same call (tshark on
 * lo) name the same cause; the capture's evidence points at the frame of the final response.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { scenarioDir } from '../../support/sipp.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { captureCallToSipp } from '../../support/captured-call.ts';

afterEach(stopAllStarted);
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-reject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** uas-reject with this final response written in. */
function rejecting(status: number, phrase: string): string {
  const file = join(dir, `reject-${status}.xml`);
  writeFileSync(file, readFileSync(join(scenarioDir, 'uas-reject.xml'), 'utf8').replace('SIP/2.0 REJECT_WITH', `SIP/2.0 ${status} ${phrase}`));
  return file;
}

const CASES: Array<[number, string, string]> = [
  [403, 'Forbidden', 'forbidden-ip'],
  [404, 'Not Found', 'number-not-found'],
  [486, 'Busy Here', 'busy'],
  [488, 'Not Acceptable Here', 'no-common-codec'],
  [503, 'Service Unavailable', 'service-unavailable'],
];

describe('SIPp rejections → the same cause live and from the capture', () => {
  for (const [status, phrase, code] of CASES) {
    it(`${status} ${phrase} → ${code}`, async () => {
      const r = await captureCallToSipp(rejecting(status, phrase), ['--duration', '1']);
      expect(r.sipp.code, r.why).toBe(0);
      expect(r.cli.code, r.why).toBe(1);
      expect(r.cli.json?.finalStatus, r.why).toBe(status);
      const live = r.cli.json?.diagnosis;
      expect(live?.verdict, r.why).toBe('failed');
      expect(live?.causes[0]?.code, r.why).toBe(code);
      // --trace kept the messages: the live evidence names the final response by position.
      expect(live?.causes[0]?.evidence[0], r.why).toMatchObject({ ref: expect.stringMatching(/^msg \d+$/), text: `SIP/2.0 ${status} ${phrase}` });
      const call = r.diag.calls?.[0];
      expect(r.diagCode, r.why).toBe(1);
      expect(call?.report.finalStatus, r.why).toBe(status);
      expect(call?.report.diagnosis?.causes[0]?.code, r.why).toBe(code);
      const frameOfFinal = call!.frames[call!.ladder.findIndex((e) => e.firstLine.startsWith(String(status)))];
      expect(call?.report.diagnosis?.causes[0]?.evidence[0], r.why).toEqual({ ref: `frame ${frameOfFinal}`, text: `SIP/2.0 ${status} ${phrase}` });
    });
  }

  it('488 names both codec lists when the offer is in the capture', async () => {
    const r = await captureCallToSipp(rejecting(488, 'Not Acceptable Here'), ['--duration', '1', '--codec', 'PCMA,PCMU']);
    expect(r.diag.calls?.[0]?.report.diagnosis?.causes[0]?.summary, r.why).toContain('offered PCMA, PCMU');
    expect(r.cli.json?.diagnosis?.causes[0]?.summary, r.why).toContain('offered PCMA, PCMU');
  });
});
