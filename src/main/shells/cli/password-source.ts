/**
 * Where a command's digest password comes from: `--password` (visible to every local user in
 * /proc/PID/cmdline and kept in shell history), `--password-stdin`, `--password-file FILE`, or
 * the TRUNKSCOPE_PASSWORD environment variable. One of the three flags at most (two: exit 2).
 * Precedence: a flag, then a --profile's stored password, then the environment variable.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from './common.ts';
import { promptSecret, readStdin } from './prompt.ts';

export const PASSWORD_ENV = 'TRUNKSCOPE_PASSWORD';

export interface PasswordOpts {
  password?: string;
  passwordStdin?: boolean;
  passwordFile?: string;
}

/** Where the password came from (never the password itself). */
export type PasswordFrom = '--password' | '--password-stdin' | '--password-file' | 'profile' | typeof PASSWORD_ENV;

export interface PasswordIo {
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
  readFile(path: string): string;
  /** Permission bits of the file, to warn when others can read it. */
  fileMode(path: string): number;
  warn(text: string): void;
}

export const passwordIo: PasswordIo = {
  env: process.env,
  readStdin: () => (process.stdin.isTTY ? promptSecret('Password: ') : readStdin()),
  readFile: (path) => readFileSync(path, 'utf8'),
  fileMode: (path) => statSync(path).mode,
  warn: (text) => process.stderr.write(`trunkscope: ${text}\n`),
};

/** The help line every --password gets, and the two safer flags. */
export function addPasswordOptions(cmd: Command, what = 'digest password'): Command {
  return cmd
    .option('--password <secret>', `${what} (visible to other local users in /proc/*/cmdline and kept in shell history: prefer --password-stdin, --password-file or $${PASSWORD_ENV})`)
    .option('--password-stdin', `read the ${what} from standard input (prompted without echo on a terminal)`)
    .option('--password-file <file>', `read the ${what} from the first line of FILE (keep it mode 0600)`);
}

/** The text of a password read from stdin or a file: one line, its line break removed. */
export function oneLine(flag: string, text: string): string {
  const line = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(line)) throw new UsageError(`${flag}: the password must be one line`);
  return line;
}

/**
 * Resolve the password. `source` is commander's source of `o.password` ('cli' when typed,
 * 'config' when a --profile filled it in). `useEnv`: the command has a digest user, so the
 * environment variable applies (an IP-authenticated call ignores it).
 */
export async function resolvePassword(o: PasswordOpts, source: string | undefined, useEnv: boolean, io: PasswordIo = passwordIo): Promise<{ password?: string; from?: PasswordFrom }> {
  const typed = o.password !== undefined && source !== 'config';
  const given = [typed && '--password', o.passwordStdin && '--password-stdin', o.passwordFile !== undefined && '--password-file'].filter((x): x is string => typeof x === 'string');
  if (given.length > 1) throw new UsageError(`${given.join(' and ')}: give the password one way`);
  if (typed) return { password: o.password, from: '--password' };
  if (o.passwordStdin) return { password: oneLine('--password-stdin', await io.readStdin()), from: '--password-stdin' };
  if (o.passwordFile !== undefined) {
    let text: string;
    try {
      text = io.readFile(o.passwordFile);
    } catch (err) {
      throw new UsageError(`--password-file: cannot read ${o.passwordFile}: ${(err as Error).message}`);
    }
    try {
      if ((io.fileMode(o.passwordFile) & 0o077) !== 0) io.warn(`--password-file ${o.passwordFile} can be read by other users (chmod 600 it)`);
    } catch {
      // Read above but not stat-able (a pipe, /dev/fd/N): nothing to warn about.
    }
    return { password: oneLine('--password-file', text.split(/(?<=\n)/)[0] ?? ''), from: '--password-file' };
  }
  if (o.password !== undefined) return { password: o.password, from: 'profile' };
  const env = io.env[PASSWORD_ENV];
  if (useEnv && env !== undefined && env !== '') return { password: env, from: PASSWORD_ENV };
  return {};
}

/**
 * For a command's action: resolve and put the password in `o.password` (so the code after it is
 * unchanged), clearing the stdin/file flags so a worker given a copy of `o` does not read again.
 */
export async function applyPassword(o: PasswordOpts, cmd: Command, useEnv: boolean, io?: PasswordIo): Promise<PasswordFrom | undefined> {
  const { password, from } = await resolvePassword(o, cmd.getOptionValueSource('password'), useEnv, io);
  o.password = password;
  o.passwordStdin = undefined;
  o.passwordFile = undefined;
  return from;
}
