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
  return addSecretOptions(cmd, PASSWORD_SPEC, what);
}

/** The text of a password read from stdin or a file: one line, its line break removed. */
export function oneLine(flag: string, text: string): string {
  const line = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(line)) throw new UsageError(`${flag}: the password must be one line`);
  return line;
}

/**
 * One secret flag and its safer forms: `--NAME <secret>`, `--NAME-stdin`, `--NAME-file <file>`
 * and an environment variable. `key` is commander's name of the first (`authPassword` for
 * `--auth-password`); the others are `${key}Stdin` and `${key}File`.
 */
export interface SecretSpec {
  flag: string;
  key: string;
  env: string;
}

export const PASSWORD_SPEC: SecretSpec = { flag: '--password', key: 'password', env: PASSWORD_ENV };
/** listen --auth-password: the inbound digest password callers must know. */
export const AUTH_PASSWORD_SPEC: SecretSpec = { flag: '--auth-password', key: 'authPassword', env: 'TRUNKSCOPE_AUTH_PASSWORD' };
/** webhook listen --dial-password: the digest password the answer instructions carry. */
export const DIAL_PASSWORD_SPEC: SecretSpec = { flag: '--dial-password', key: 'dialPassword', env: 'TRUNKSCOPE_DIAL_PASSWORD' };

/** The three flags of `spec` (help text as addPasswordOptions gives --password). */
export function addSecretOptions(cmd: Command, spec: SecretSpec, what: string): Command {
  return cmd
    .option(`${spec.flag} <secret>`, `${what} (visible to other local users in /proc/*/cmdline and kept in shell history: prefer ${spec.flag}-stdin, ${spec.flag}-file or $${spec.env})`)
    .option(`${spec.flag}-stdin`, `read the ${what} from standard input (prompted without echo on a terminal)`)
    .option(`${spec.flag}-file <file>`, `read the ${what} from the first line of FILE (keep it mode 0600)`);
}

/**
 * Resolve the secret of `spec` from the options `o`. `source` is commander's source of the plain
 * flag's value ('cli' when typed, 'config' when a --profile filled it in). `useEnv`: the command
 * has the user this secret goes with, so the environment variable applies.
 */
export async function resolveSecret(spec: SecretSpec, o: Record<string, unknown>, source: string | undefined, useEnv: boolean, io: PasswordIo = passwordIo): Promise<{ password?: string; from?: string }> {
  const value = o[spec.key] as string | undefined;
  const stdin = o[`${spec.key}Stdin`] === true;
  const file = o[`${spec.key}File`] as string | undefined;
  const typed = value !== undefined && source !== 'config';
  const given = [typed && spec.flag, stdin && `${spec.flag}-stdin`, file !== undefined && `${spec.flag}-file`].filter((x): x is string => typeof x === 'string');
  if (given.length > 1) throw new UsageError(`${given.join(' and ')}: give the password one way`);
  if (typed) return { password: value, from: spec.flag };
  if (stdin) return { password: oneLine(`${spec.flag}-stdin`, await io.readStdin()), from: `${spec.flag}-stdin` };
  if (file !== undefined) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (err) {
      throw new UsageError(`${spec.flag}-file: cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      if ((io.fileMode(file) & 0o077) !== 0) io.warn(`${spec.flag}-file ${file} can be read by other users (chmod 600 it)`);
    } catch {
      // Read above but not stat-able (a pipe, /dev/fd/N): nothing to warn about.
    }
    return { password: oneLine(`${spec.flag}-file`, text.split(/(?<=\n)/)[0] ?? ''), from: `${spec.flag}-file` };
  }
  if (value !== undefined) return { password: value, from: 'profile' };
  const env = io.env[spec.env];
  if (useEnv && env !== undefined && env !== '') return { password: env, from: spec.env };
  return {};
}

/**
 * Resolve the password. `source` is commander's source of `o.password` ('cli' when typed,
 * 'config' when a --profile filled it in). `useEnv`: the command has a digest user, so the
 * environment variable applies (an IP-authenticated call ignores it).
 */
export async function resolvePassword(o: PasswordOpts, source: string | undefined, useEnv: boolean, io: PasswordIo = passwordIo): Promise<{ password?: string; from?: PasswordFrom }> {
  return (await resolveSecret(PASSWORD_SPEC, { ...o }, source, useEnv, io)) as { password?: string; from?: PasswordFrom };
}

/**
 * For a command's action: resolve the secret of `spec` into `o[spec.key]` and clear its -stdin
 * and -file options. Returns where it came from (never the secret).
 */
export async function applySecret(spec: SecretSpec, o: object, cmd: Command, useEnv: boolean, io?: PasswordIo): Promise<string | undefined> {
  const rec = o as Record<string, unknown>;
  const { password, from } = await resolveSecret(spec, rec, cmd.getOptionValueSource(spec.key), useEnv, io);
  rec[spec.key] = password;
  rec[`${spec.key}Stdin`] = undefined;
  rec[`${spec.key}File`] = undefined;
  return from;
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
