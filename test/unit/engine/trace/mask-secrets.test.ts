/** --trace masks the digest response (issue 15 item 8) unless --show-secrets. */
import { describe, expect, it } from 'vitest';
import { maskDigestSecrets } from '../../../../src/main/engine/trace/mask-secrets.ts';
import { formatTrace } from '../../../../src/main/engine/trace/trace-format.ts';
import type { TraceRecord } from '../../../../src/main/sip/transport/types.ts';

const resp = 'a2f1c0ffee0123456789abcdef012345';
const invite = [
  'INVITE sip:echo@127.0.0.1:5060 SIP/2.0',
  `Proxy-Authorization: Digest username="alice", realm="r", nonce="n1", uri="sip:echo@127.0.0.1:5060", response="${resp}", algorithm=MD5, cnonce="c1", qop=auth, nc=00000001`,
  `authorization: Digest username="bob",response=${resp},nonce="n2"`,
  `Subject: response="${resp}"`,
  '',
  '',
].join('\r\n');

describe('maskDigestSecrets', () => {
  it('masks response= in Authorization and Proxy-Authorization, quoted or not, keeps the rest', () => {
    const out = maskDigestSecrets(invite.replace(/\r\n/g, '\n'));
    expect(out).toContain('response="****", algorithm=MD5, cnonce="c1"');
    expect(out).toContain('username="bob",response="****",nonce="n2"');
    // Not an authorization header: left alone.
    expect(out).toContain(`Subject: response="${resp}"`);
    expect(out.match(new RegExp(resp, 'g'))).toHaveLength(1);
  });

  it('is linear on a long adversarial line', () => {
    const evil = `Authorization: Digest ${'response='.repeat(20_000)}${' '.repeat(50_000)}`;
    const t = performance.now();
    maskDigestSecrets(evil);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('formatTrace', () => {
  const rec = { at: 0, dir: 'out', proto: 'udp', local: { address: '127.0.0.1', port: 5061 }, remote: { address: '127.0.0.1', port: 5060 }, raw: Buffer.from(invite) } as unknown as TraceRecord;
  it('masks by default, shows with showSecrets', () => {
    expect(formatTrace([rec]).split(resp).length - 1).toBe(1); // only the Subject line
    expect(formatTrace([rec], { showSecrets: true }).split(resp).length - 1).toBe(3);
  });
});
