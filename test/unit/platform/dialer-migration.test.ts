import { describe, expect, it } from 'vitest';
import { migrateDialerProfiles } from '../../../src/main/platform/dialer-migration.ts';

// The dialer's localStorage shape (src/renderer/src/features/dialer/profiles.ts, version 1).
const old = {
  version: 1,
  profiles: [
    {
      name: 'office',
      transport: 'tcp',
      codecs: [
        { name: 'PCMA', on: true },
        { name: 'PCMU', on: false },
        { name: 'G722', on: true },
      ],
      dtmf: 'info',
      srtp: 'off',
      source: 'tone',
      headersText: 'X-Test: 1\nX-Other: two',
      proxy: 'sip:proxy.office.test;lr',
      from: 'sip:alice@office.test',
      user: 'alice',
      authUser: 'alice-auth',
      password: 's3cret',
    },
    { name: 'bare', transport: 'udp', codecs: [], dtmf: 'rfc2833', srtp: 'off', source: 'tone', headersText: '', proxy: '', from: '', user: '', authUser: '' },
    { nonsense: true },
  ],
};

describe('dialer localStorage profiles → trunk profiles', () => {
  it('maps every field, the password apart', () => {
    const m = migrateDialerProfiles(JSON.stringify(old));
    expect(m.migrated).toHaveLength(2);
    const [office, bare] = m.migrated;
    expect(office!.profile).toMatchObject({
      name: 'office',
      mode: 'register',
      domain: 'office.test',
      outboundProxy: 'sip:proxy.office.test;lr',
      transport: 'tcp',
      username: 'alice',
      authUsername: 'alice-auth',
      fromUser: 'alice',
      headers: ['X-Test: 1', 'X-Other: two'],
      codecs: ['PCMA', 'G722'],
      dtmf: 'info',
      hasPassword: true,
    });
    expect(office!.password).toBe('s3cret');
    expect(JSON.stringify(office!.profile)).not.toContain('s3cret');
    expect(bare!.profile).toMatchObject({ mode: 'ip', domain: 'localhost', codecs: ['PCMU', 'PCMA'] });
    expect(bare!.profile.notes).toMatch(/guessed/);
    expect(m.skipped).toEqual([{ name: '?', reason: 'not a dialer profile' }]);
  });

  it('never throws on bad text', () => {
    expect(migrateDialerProfiles('{').skipped[0]?.reason).toBe('not valid JSON');
    expect(migrateDialerProfiles('{"version":2}').skipped[0]?.reason).toMatch(/version 1/);
  });
});
