import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../support/temp-dirs.ts';
import { FileSecrets } from '../../../src/main/platform/file-secrets.ts';
import { openSecrets } from '../../../src/main/platform/open-secrets.ts';
import { SettingsStore } from '../../../src/main/platform/settings-store.ts';
import { ProfileBook } from '../../../src/main/engine/profiles/profile-book.ts';

const tmp = tempDirs('ts-secrets-');

describe('secrets', () => {
  it('secrets.json is mode 0600 and a corrupt one is moved aside', () => {
    const dir = tmp();
    const s = new FileSecrets(dir);
    s.set('profile/a/password', 'pw');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(new FileSecrets(dir).get('profile/a/password')).toBe('pw');
    writeFileSync(join(dir, 'secrets.json'), 'garbage');
    const again = new FileSecrets(dir);
    expect(again.problem?.movedTo).toMatch(/secrets\.json\.corrupt-/);
    expect(again.get('profile/a/password')).toBeUndefined();
  });

  it('falls back to the file where no keyring is reachable, and says so', () => {
    const dir = tmp();
    const s = openSecrets(dir, { TRUNKSCOPE_SECRETS: 'file' });
    expect(s.info.kind).toBe('file');
    expect(s.info.description).toContain('secrets.json');
  });

  it('a profile password never reaches the settings file', () => {
    const dir = tmp();
    const book = new ProfileBook(new SettingsStore(dir), new FileSecrets(dir));
    book.add({ name: 'acme', domain: 'sip.acme.test', username: 'u' }, { password: 'TopSecret-1', inboundPassword: 'In-Secret-2' });
    book.edit('acme', { realm: 'acme' }, { password: 'TopSecret-3' });
    const settings = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(settings).not.toContain('TopSecret');
    expect(settings).not.toContain('In-Secret');
    expect(book.get('acme')).toMatchObject({ hasPassword: true, inbound: { hasPassword: true } });
    expect(book.secret('acme', 'password')).toBe('TopSecret-3');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain('TopSecret-3');
    // Export without secrets has none; with, it has them.
    expect(JSON.stringify(book.exportData(false))).not.toContain('TopSecret');
    expect(JSON.stringify(book.exportData(true))).toContain('TopSecret-3');
    book.remove('acme');
    expect(book.secret('acme', 'password')).toBeUndefined();
  });
});
