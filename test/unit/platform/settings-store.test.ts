import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../support/temp-dirs.ts';
import { SettingsStore } from '../../../src/main/platform/settings-store.ts';
import { migrateSettings, SETTINGS_VERSION } from '../../../src/main/platform/settings-schema.ts';
import { configDir } from '../../../src/main/platform/config-dir.ts';
import { ProfileSchema } from '../../../src/shared/model/profile.ts';

const tmp = tempDirs('ts-settings-');

const profile = ProfileSchema.parse({ name: 'acme', domain: 'sip.acme.test' });

describe('config folder', () => {
  it('is $TRUNKSCOPE_CONFIG_DIR when set, else the platform place', () => {
    expect(configDir({ TRUNKSCOPE_CONFIG_DIR: '/x/y' }, 'linux')).toBe('/x/y');
    expect(configDir({ HOME: '/h' }, 'linux')).toBe('/h/.config/trunkscope');
    expect(configDir({ HOME: '/h', XDG_CONFIG_HOME: '/c' }, 'linux')).toBe('/c/trunkscope');
    expect(configDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/trunkscope');
  });
});

describe('settings store', () => {
  it('writes a versioned file with mode 0600 and reads it back', () => {
    const dir = tmp();
    const s = new SettingsStore(dir);
    expect(s.problem).toBeUndefined();
    s.update((x) => {
      x.profiles['acme'] = profile;
    });
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(onDisk.version).toBe(SETTINGS_VERSION);
    expect(onDisk.profiles.acme.domain).toBe('sip.acme.test');
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(new SettingsStore(dir).read().profiles['acme']?.domain).toBe('sip.acme.test');
  });

  it('migrates the Electron shell\'s old flat settings.json into `app`', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ window: { width: 900, height: 700 } }));
    const s = new SettingsStore(dir);
    expect(s.problem).toBeUndefined();
    expect(s.migratedFrom).toBe(0);
    expect(s.getApp('window', { width: 0, height: 0 })).toEqual({ width: 900, height: 700 });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).version).toBe(1);
  });

  it('refuses a newer version and an unknown one', () => {
    expect(() => migrateSettings({ version: 99 })).toThrow(/newer Trunkscope/);
    expect(() => migrateSettings({ version: 'x' })).toThrow(/unknown "version"/);
    expect(() => migrateSettings([1])).toThrow(/not a JSON object/);
  });

  it('moves a corrupt file aside and reports it, never replacing it silently', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'settings.json'), '{"version":1, "profiles": {');
    const s = new SettingsStore(dir);
    expect(s.problem?.reason).toMatch(/not valid JSON/);
    expect(s.problem?.movedTo).toMatch(/settings\.json\.corrupt-/);
    expect(readFileSync(s.problem!.movedTo!, 'utf8')).toBe('{"version":1, "profiles": {');
    expect(s.read().profiles).toEqual({});
    s.setApp('k', 1);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toHaveLength(1);
  });

  it('keeps the valid profiles of a file that fails the schema, and keeps the file aside', () => {
    const dir = tmp();
    const text = JSON.stringify({ version: 1, profiles: { acme: profile, bad: { name: 'bad', domain: 'no spaces allowed' } }, app: {} });
    writeFileSync(join(dir, 'settings.json'), text);
    const s = new SettingsStore(dir);
    expect(s.problem?.reason).toMatch(/^profiles\.bad\.domain: /);
    expect(readFileSync(s.problem!.movedTo!, 'utf8')).toBe(text);
    expect(Object.keys(s.read().profiles)).toEqual(['acme']);
  });

  it('a file of a newer version is moved aside, not rewritten as ours', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 7, profiles: {} }));
    const s = new SettingsStore(dir);
    expect(s.problem?.reason).toMatch(/newer/);
    expect(JSON.parse(readFileSync(s.problem!.movedTo!, 'utf8')).version).toBe(7);
  });
});
