/**
 * Agreement with Wireshark on synthetic captures: 15 seeded impairment profiles written as pcap
 * files, analysed by us and by `tshark -z rtp,streams` (heuristic RTP on). Packets and lost must
 * be equal, mean and max jitter within 0.1 ms, max delta within 0.5 ms — and in fact every column
 * tshark prints must agree to its 3 decimals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/main/engine/analyze/analyze-capture.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { expectAgreement } from './compare.ts';
import { scenarioPcap, scenarios } from './scenarios.ts';
import { tsharkRtpStreams } from './tshark-streams.ts';

const dir = mkdtempSync(join(tmpdir(), 'trunkscope-ws-'));
afterAll(async () => {
  await stopAllStarted();
  rmSync(dir, { recursive: true, force: true });
});

describe('analyze agrees with tshark -z rtp,streams (TShark 4.0)', () => {
  const all = scenarios();
  it('covers at least six impairment profiles', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });
  for (const s of all) {
    it(s.name, async () => {
      const buf = scenarioPcap(s);
      const file = join(dir, `${s.name.replace(/\W+/g, '-')}.pcap`);
      writeFileSync(file, buf);
      const ours = analyzeCapture(buf);
      if (!ours.ok) throw new Error(ours.message);
      const { streams } = await tsharkRtpStreams(file);
      expectAgreement(s.name, ours.streams, streams, true);
    });
  }
});
