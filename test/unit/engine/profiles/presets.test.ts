import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../support/temp-dirs.ts';
import { PRESETS } from '../../../../src/main/engine/profiles/presets.ts';
import { profileFromPreset } from '../../../../src/main/engine/profiles/new-profile.ts';
import { ProfileBook } from '../../../../src/main/engine/profiles/profile-book.ts';
import { ProfileError } from '../../../../src/main/engine/profiles/profile-error.ts';
import { MemorySecrets } from '../../../../src/main/platform/secret-store.ts';
import { SettingsStore } from '../../../../src/main/platform/settings-store.ts';
import { PresetIdSchema, ProfileSchema } from '../../../../src/shared/model/profile.ts';

const tmp = tempDirs('ts-presets-');
function book(): ProfileBook {
  return new ProfileBook(new SettingsStore(tmp()), new MemorySecrets());
}

describe('presets', () => {
  it('every preset id has a preset whose values pass the schema with a domain', () => {
    for (const id of PresetIdSchema.options) {
      const p = PRESETS[id];
      expect(p.id).toBe(id);
      expect(p.source.length).toBeGreaterThan(10);
      expect(ProfileSchema.safeParse(profileFromPreset(id, 'x', { domain: 'example.test' })).success).toBe(true);
    }
  });

  it('encode what each provider expects', () => {
    expect(PRESETS.twilio.values).toMatchObject({ mode: 'ip', numberFormat: 'e164-plus' });
    expect(PRESETS.exotel.values).toMatchObject({ transport: 'tcp' });
    expect(PRESETS.livekit.values.codecs).toEqual(['PCMU', 'PCMA', 'G722']);
    expect(PRESETS.livekit.values.dtmf).toBe('rfc2833');
    expect(PRESETS.livekit.notes.join(' ')).toMatch(/SIP INFO is not handled/);
    expect(PRESETS.livekit.notes.join(' ')).toMatch(/No late offer/);
    expect(PRESETS.vobiz.unverified.length).toBeGreaterThan(0);
  });

  it('user fields override preset values, nested objects merged', () => {
    const p = ProfileSchema.parse(profileFromPreset('exotel', 'e', { domain: 'x.test', transport: 'tls', tls: { sni: 'sbc.x.test' } }));
    expect(p).toMatchObject({ preset: 'exotel', transport: 'tls', tls: { verify: true, sni: 'sbc.x.test' }, codecs: ['PCMA', 'PCMU'] });
  });
});

describe('profile book validation', () => {
  it('names the field on error', () => {
    const b = book();
    const err = (f: () => unknown): ProfileError => {
      try {
        f();
      } catch (e) {
        return e as ProfileError;
      }
      throw new Error('no error');
    };
    expect(err(() => b.add({ name: 'a' })).field).toBe('domain');
    expect(err(() => b.add({ name: 'a', domain: 'x.test', inbound: { allowFrom: ['1.2.3.4', '300.1.1.1'] } })).field).toBe('inbound.allowFrom.1');
    expect(err(() => b.add({ name: 'a', domain: 'x.test', sessionTimer: { minSe: 10 } })).field).toBe('sessionTimer.minSe');
    b.add({ name: 'a', domain: 'x.test' });
    expect(err(() => b.add({ name: 'a', domain: 'y.test' })).field).toBe('name');
    expect(err(() => b.edit('a', { localPort: 70000 })).field).toBe('localPort');
    expect(b.get('a')?.domain).toBe('x.test');
  });

  it('rename keeps the secrets', () => {
    const b = book();
    b.add({ name: 'a', domain: 'x.test' }, { password: 'p' });
    b.edit('a', { name: 'b' });
    expect(b.get('a')).toBeUndefined();
    expect(b.secret('b', 'password')).toBe('p');
    expect(b.secret('a', 'password')).toBeUndefined();
  });
});
