/** Issue 15 item 10: the Electron URL checks (pure) and RtpStream's peer table. */
import { describe, expect, it } from 'vitest';
import { isDocumentationLink, isTrustedUrl } from '../../../src/main/shells/electron/url-policy.ts';
import { RtpStream, PayloadBudget } from '../../../src/main/engine/media/rtp-stream.ts';
import type { PacketInfo } from '../../../src/main/media/session/types.ts';

const APP = 'app://trunkscope';

describe('isTrustedUrl', () => {
  it('accepts the bare origin Electron passes to permission checks, and app URLs', () => {
    expect(isTrustedUrl('app://trunkscope', APP)).toBe(true);
    expect(isTrustedUrl('app://trunkscope/index.html', APP)).toBe(true);
  });
  it('refuses look-alikes and other origins', () => {
    expect(isTrustedUrl('app://trunkscope.evil', APP)).toBe(false);
    expect(isTrustedUrl('app://trunkscopex/index.html', APP)).toBe(false);
    expect(isTrustedUrl('https://example.com/', APP)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', APP)).toBe(false);
  });
  it('accepts the dev server origin only when there is one', () => {
    expect(isTrustedUrl('http://localhost:5173/src/main.tsx', APP, 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5173', APP, 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', APP, 'http://localhost:5173')).toBe(false);
  });
});

describe('isDocumentationLink', () => {
  const docs = ['https://example.org/trunkscope/docs/cli.md'];
  it('opens only the links the app shows', () => {
    expect(isDocumentationLink('https://example.org/trunkscope/docs/cli.md', docs)).toBe(true);
    expect(isDocumentationLink('https://example.org/trunkscope/docs/cli.md#exit-codes', docs)).toBe(true);
  });
  it('refuses any other https URL, other schemes and credentials', () => {
    expect(isDocumentationLink('https://attacker.example/phish', docs)).toBe(false);
    expect(isDocumentationLink('https://example.org/trunkscope/docs/other.md', docs)).toBe(false);
    expect(isDocumentationLink('http://example.org/trunkscope/docs/cli.md', docs)).toBe(false);
    expect(isDocumentationLink('https://u:p@example.org/trunkscope/docs/cli.md', docs)).toBe(false);
    expect(isDocumentationLink('file:///etc/passwd', docs)).toBe(false);
    expect(isDocumentationLink('not a url', docs)).toBe(false);
  });
  it('opens nothing by default (the app shows no external link today)', () => {
    expect(isDocumentationLink('https://example.org/')).toBe(false);
  });
});

describe('RtpStream peers', () => {
  it('names the right source past 65 536 distinct sources', () => {
    const s = new RtpStream('c', 'received', '127.0.0.1:30000', 80_000, new PayloadBudget(0));
    const n = 70_000;
    for (let i = 0; i < n; i++) {
      const p: PacketInfo = {
        arrivalMs: i,
        sequenceNumber: i & 0xffff,
        timestamp: i * 160,
        ssrc: 1,
        payloadType: 0,
        marker: false,
        payloadBytes: 0,
        payload: new Uint8Array(0),
        from: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 4000 },
        kind: 'audio',
      };
      s.add(p, i);
    }
    const recs = [...s.records()];
    expect(recs.length).toBe(n);
    expect(recs[n - 1]!.src).toBe(`10.1.17.111:4000`);
    expect(recs[65_536]!.src).toBe('10.1.0.0:4000');
  });
});
