import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { supportBundle, bundleCallFromTrace } from '../../../../src/main/engine/report/support-bundle.ts';
import { bundleCallsFromCapture } from '../../../../src/main/engine/analyze/capture-bundle.ts';
import { diagnoseCapture } from '../../../../src/main/engine/analyze/diagnose-capture.ts';
import type { TraceRecord } from '../../../../src/main/sip/transport/types.ts';
import type { CallReport } from '../../../../src/shared/model/report.ts';
import { buildPcap, CALL_ID, sipCall } from '../analyze/capture-builder.ts';

const CID = 'a84b4c76e66710@pc33/x y';
const RESPONSE = '7587245234b3434cc3412213e5f113a5';
const PASSWORD = 'S3cretPw!';
const invite = `INVITE sip:bob@127.0.0.1 SIP/2.0\r\nCall-ID: ${CID}\r\nCSeq: 2 INVITE\r\nAuthorization: Digest username="alice", realm="r", nonce="abc123nonce", uri="sip:bob@127.0.0.1", response="${RESPONSE}"\r\nX-Note: pw ${PASSWORD}\r\nContent-Length: 0\r\n\r\n`;
const rec = (dir: 'in' | 'out', raw: string): TraceRecord => ({ dir, at: 1_700_000_000_000, proto: 'udp', local: { address: '127.0.0.1', port: 5070 }, remote: { address: '127.0.0.1', port: 5060 }, raw: Buffer.from(raw) });
const report = { command: 'call', outcome: 'answered', reason: '200 OK', callId: CID, finalStatus: 200, diagnosis: { verdict: 'ok', causes: [] } } as unknown as CallReport;

describe('supportBundle', () => {
  it('holds README, pcap, ladder, report and diagnosis named by Call-ID, without the secrets', () => {
    const b = supportBundle({ command: 'call', calls: [bundleCallFromTrace(report, [rec('out', invite), rec('in', `SIP/2.0 200 OK\r\nCall-ID: ${CID}\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n`)])], secrets: [PASSWORD] });
    const files = unzipSync(b.zip);
    const safe = 'a84b4c76e66710_pc33_x_y';
    expect(Object.keys(files)).toEqual(['README.txt', `call-${safe}.pcap`, `ladder-${safe}.txt`, `report-${safe}.json`, `diagnosis-${safe}.txt`]);
    expect(b.entries).toEqual(Object.keys(files));
    for (const [name, data] of Object.entries(files)) {
      const text = Buffer.from(data).toString('latin1');
      expect(text, name).not.toContain(RESPONSE);
      expect(text, name).not.toContain('abc123nonce');
      expect(text, name).not.toContain(PASSWORD);
    }
    // The ladder text is masked by the trace formatter (issue 15 item 8) before the redactor sees it.
    expect(strFromU8(files[`ladder-${safe}.txt`]!)).toMatch(/response="(\*\*\*\*|response-redacted-\d+)"/);
    expect(JSON.parse(strFromU8(files[`report-${safe}.json`]!)).callId).toBe(CID);
    expect(Buffer.from(files[`call-${safe}.pcap`]!).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(strFromU8(files['README.txt']!)).toContain(`ladder-${safe}.txt`);
  });

  it('from a capture: one set per call, with the capture frames', () => {
    const m = sipCall({ callerMedia: '198.51.100.2:20000', calleeMedia: '203.0.113.5:40000', final: '486 Busy Here' });
    const at = (atMs: number, fromCaller: boolean, text: string) => ({ atMs, src: fromCaller ? '198.51.100.2' : '203.0.113.5', dst: fromCaller ? '203.0.113.5' : '198.51.100.2', sport: 5060, dport: 5060, payload: Buffer.from(text.replace('\r\n\r\n', `\r\nProxy-Authorization: Digest username="u", response="${RESPONSE}"\r\n\r\n`), 'latin1') });
    const buf = buildPcap([at(0, true, m.invite), at(50, false, m.final), at(60, true, m.ack)]);
    const r = diagnoseCapture(buf);
    if (!r.ok) throw new Error(r.message);
    const files = unzipSync(supportBundle({ command: 'diagnose', source: 'x.pcap', calls: bundleCallsFromCapture(buf, r.calls) }).zip);
    expect(Object.keys(files).filter((n) => n.includes(CALL_ID.replace(/[^A-Za-z0-9._-]+/g, '_')))).toHaveLength(4);
    for (const data of Object.values(files)) expect(Buffer.from(data).toString('latin1')).not.toContain(RESPONSE);
    expect(strFromU8(Object.entries(files).find(([n]) => n.startsWith('diagnosis-'))![1])).toContain('busy');
  });
});
