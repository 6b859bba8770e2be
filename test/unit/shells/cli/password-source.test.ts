/** Where a digest password comes from (issue 15 item 8): flag, stdin, file, profile, environment. */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addPasswordOptions, addSecretOptions, applyPassword, applySecret, AUTH_PASSWORD_SPEC, DIAL_PASSWORD_SPEC, oneLine, PASSWORD_ENV, resolvePassword, resolveSecret, type PasswordIo } from '../../../../src/main/shells/cli/password-source.ts';
import { UsageError } from '../../../../src/main/shells/cli/common.ts';

function io(o: { env?: Record<string, string>; stdin?: string; files?: Record<string, string>; mode?: number } = {}): PasswordIo & { warnings: string[]; stdinReads: number } {
  const x = {
    warnings: [] as string[],
    stdinReads: 0,
    env: o.env ?? {},
    readStdin: async () => {
      x.stdinReads++;
      return o.stdin ?? '';
    },
    readFile: (path: string) => {
      const t = o.files?.[path];
      if (t === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return t;
    },
    fileMode: () => o.mode ?? 0o100600,
    warn: (t: string) => void x.warnings.push(t),
  };
  return x;
}

describe('resolvePassword', () => {
  it('takes --password as typed', async () => {
    expect(await resolvePassword({ password: 'pw' }, 'cli', true, io())).toEqual({ password: 'pw', from: '--password' });
  });

  it('reads stdin without its final line break', async () => {
    expect(await resolvePassword({ passwordStdin: true }, undefined, true, io({ stdin: 's3cret\r\n' }))).toEqual({ password: 's3cret', from: '--password-stdin' });
  });

  it('refuses a password of several lines from stdin', async () => {
    await expect(resolvePassword({ passwordStdin: true }, undefined, true, io({ stdin: 'a\nb\n' }))).rejects.toThrow(/one line/);
  });

  it('reads the first line of --password-file; warns when others may read it', async () => {
    const x = io({ files: { '/p': 'filepw\nignored\n' }, mode: 0o100644 });
    expect(await resolvePassword({ passwordFile: '/p' }, undefined, true, x)).toEqual({ password: 'filepw', from: '--password-file' });
    expect(x.warnings.join()).toMatch(/other users.*chmod 600/);
    const quiet = io({ files: { '/p': 'filepw' } });
    await resolvePassword({ passwordFile: '/p' }, undefined, true, quiet);
    expect(quiet.warnings).toEqual([]);
  });

  it('an unreadable file is a usage error naming the file', async () => {
    const p = resolvePassword({ passwordFile: '/nope' }, undefined, true, io());
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow(/--password-file: cannot read \/nope/);
  });

  it('two sources are a usage error, whichever two', async () => {
    const x = io({ stdin: 'a', files: { '/p': 'b' } });
    await expect(resolvePassword({ password: 'pw', passwordStdin: true }, 'cli', true, x)).rejects.toThrow(/--password and --password-stdin/);
    await expect(resolvePassword({ password: 'pw', passwordFile: '/p' }, 'cli', true, x)).rejects.toThrow(UsageError);
    await expect(resolvePassword({ passwordStdin: true, passwordFile: '/p' }, undefined, true, x)).rejects.toThrow(/--password-stdin and --password-file/);
    expect(x.stdinReads).toBe(0);
  });

  it('a flag beats the profile, the profile beats the environment', async () => {
    const x = io({ env: { [PASSWORD_ENV]: 'envpw' }, stdin: 'stdinpw' });
    // --profile filled o.password in (source "config"): --password-stdin overrides it, not a conflict.
    expect(await resolvePassword({ password: 'profilepw', passwordStdin: true }, 'config', true, x)).toEqual({ password: 'stdinpw', from: '--password-stdin' });
    expect(await resolvePassword({ password: 'profilepw' }, 'config', true, x)).toEqual({ password: 'profilepw', from: 'profile' });
    expect(await resolvePassword({}, undefined, true, x)).toEqual({ password: 'envpw', from: PASSWORD_ENV });
  });

  it('the environment variable applies only with a digest user, and not when empty', async () => {
    expect(await resolvePassword({}, undefined, false, io({ env: { [PASSWORD_ENV]: 'envpw' } }))).toEqual({});
    expect(await resolvePassword({}, undefined, true, io({ env: { [PASSWORD_ENV]: '' } }))).toEqual({});
  });

  it('oneLine keeps inner characters', () => {
    expect(oneLine('--x', ' a b \n')).toBe(' a b ');
  });
});

describe('addPasswordOptions / applyPassword', () => {
  it('--help says why --password is unsafe and names the other ways', () => {
    const help = addPasswordOptions(new Command('call')).helpInformation();
    expect(help).toMatch(/\/proc\/\*\/cmdline/);
    expect(help).toMatch(/shell history/);
    expect(help).toContain('--password-stdin');
    expect(help).toContain('--password-file <file>');
    expect(help).toContain(PASSWORD_ENV);
  });

  it('puts the password in o.password and clears the flags a worker copy would re-read', async () => {
    const cmd = addPasswordOptions(new Command('call').exitOverride()).action(() => undefined);
    cmd.parse(['--password-stdin'], { from: 'user' });
    const o = cmd.opts<{ password?: string; passwordStdin?: boolean; passwordFile?: string }>();
    expect(await applyPassword(o, cmd, true, io({ stdin: 'pw\n' }))).toBe('--password-stdin');
    expect(o).toEqual({ password: 'pw', passwordStdin: undefined, passwordFile: undefined });
  });
});

describe('resolveSecret / addSecretOptions for the inbound passwords (listen, webhook listen)', () => {
  it('--auth-password-stdin, --auth-password-file and $TRUNKSCOPE_AUTH_PASSWORD', async () => {
    const x = io({ stdin: 'in-pw\n', files: { '/f': 'file-pw\n' }, env: { TRUNKSCOPE_AUTH_PASSWORD: 'env-pw' } });
    expect(await resolveSecret(AUTH_PASSWORD_SPEC, { authPasswordStdin: true }, undefined, true, x)).toEqual({ password: 'in-pw', from: '--auth-password-stdin' });
    expect(await resolveSecret(AUTH_PASSWORD_SPEC, { authPasswordFile: '/f' }, undefined, true, x)).toEqual({ password: 'file-pw', from: '--auth-password-file' });
    expect(await resolveSecret(AUTH_PASSWORD_SPEC, {}, undefined, true, x)).toEqual({ password: 'env-pw', from: 'TRUNKSCOPE_AUTH_PASSWORD' });
    // Without --auth-user the variable does not switch the digest on.
    expect(await resolveSecret(AUTH_PASSWORD_SPEC, {}, undefined, false, x)).toEqual({});
    // The plain --password's variable is not the inbound one.
    expect(await resolveSecret(AUTH_PASSWORD_SPEC, {}, undefined, true, io({ env: { [PASSWORD_ENV]: 'outbound' } }))).toEqual({});
  });

  it('two ways are a usage error naming the inbound flags; errors name the flag', async () => {
    const x = io({ stdin: 'a' });
    await expect(resolveSecret(DIAL_PASSWORD_SPEC, { dialPassword: 'p', dialPasswordStdin: true }, 'cli', true, x)).rejects.toThrow(/--dial-password and --dial-password-stdin: give the password one way/);
    await expect(resolveSecret(DIAL_PASSWORD_SPEC, { dialPasswordFile: '/nope' }, undefined, true, x)).rejects.toThrow(/--dial-password-file: cannot read \/nope/);
    expect(x.stdinReads).toBe(0);
  });

  it('help of each inbound flag names its safer forms; applySecret fills the option and clears the others', async () => {
    const cmd = addSecretOptions(new Command('listen').exitOverride(), AUTH_PASSWORD_SPEC, 'inbound digest password').action(() => undefined);
    const help = cmd.helpInformation();
    expect(help).toContain('--auth-password <secret>');
    expect(help).toContain('--auth-password-stdin');
    expect(help).toContain('--auth-password-file <file>');
    expect(help).toContain('$TRUNKSCOPE_AUTH_PASSWORD');
    expect(help).toMatch(/\/proc\/\*\/cmdline/);
    cmd.parse(['--auth-password-file', '/f'], { from: 'user' });
    const o = cmd.opts<Record<string, unknown>>();
    expect(await applySecret(AUTH_PASSWORD_SPEC, o, cmd, true, io({ files: { '/f': 'pw' } }))).toBe('--auth-password-file');
    expect(o).toEqual({ authPassword: 'pw', authPasswordStdin: undefined, authPasswordFile: undefined });
  });

  it('a --profile password (source config) gives way to --dial-password-stdin without a conflict', async () => {
    expect(await resolveSecret(DIAL_PASSWORD_SPEC, { dialPassword: 'stored', dialPasswordStdin: true }, 'config', true, io({ stdin: 'typed' }))).toEqual({ password: 'typed', from: '--dial-password-stdin' });
  });
});
