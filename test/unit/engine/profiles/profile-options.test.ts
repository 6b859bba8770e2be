import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProfile, formatNumber, installProfileOption, targetFor } from '../../../../src/main/shells/cli/profile-options.ts';
import { openProfileBook } from '../../../../src/main/engine/index.ts';
import { ProfileSchema } from '../../../../src/shared/model/profile.ts';

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-popts-'));
  process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
  process.env['TRUNKSCOPE_SECRETS'] = 'file';
  openProfileBook().add({ name: 'p', domain: 'trunk.test', username: 'alice', transport: 'tcp', codecs: ['PCMA'], headers: ['X-A: 1'] }, { password: 'pw' });
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('--profile merge', () => {
  it('numbers in the profile format', () => {
    expect(formatNumber('+1 (555) 123-0000', 'e164')).toBe('15551230000');
    expect(formatNumber('15551230000', 'e164-plus')).toBe('+15551230000');
    expect(formatNumber('alice', 'e164-plus')).toBe('alice');
    const p = ProfileSchema.parse({ name: 'x', domain: 'd.test', numberFormat: 'e164-plus' });
    expect(targetFor(p, '15551230000')).toBe('sip:+15551230000@d.test');
    expect(targetFor(p, 'sip:bob@elsewhere')).toBe('sip:bob@elsewhere');
  });

  it('profile values fill what the user did not type; typed flags win', async () => {
    let seen: { uri?: string; opts?: Record<string, unknown> } = {};
    const program = new Command().exitOverride();
    program
      .command('call')
      .argument('<uri>')
      .option('--transport <t>')
      .option('--user <u>')
      .option('--password <p>')
      .option('--codec <list>')
      .option('--dtmf <m>', 'dtmf', 'info')
      .option('--header <line>', 'h', (v: string, prev: string[]) => [...prev, v], [] as string[])
      .action((uri: string, o: Record<string, unknown>) => {
        seen = { uri, opts: o };
      });
    installProfileOption(program);
    await program.parseAsync(['call', '555', '--profile', 'p', '--transport', 'udp', '--header', 'X-B: 2'], { from: 'user' });
    expect(seen.uri).toBe('sip:555@trunk.test');
    expect(seen.opts).toMatchObject({ transport: 'udp', user: 'alice', password: 'pw', codec: 'PCMA', dtmf: 'rfc2833', header: ['X-A: 1', 'X-B: 2'] });
  });

  it('an unknown profile is a usage error', () => {
    const cmd = new Command('call').option('--profile <n>');
    cmd.setOptionValue('profile', 'missing');
    expect(() => applyProfile(cmd, 'call')).toThrow(/--profile: no profile named "missing"/);
  });
});
