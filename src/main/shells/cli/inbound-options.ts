/**
 * `listen --allow-from LIST --auth-user U --auth-password P [--realm R]`: the built-in agent as
 * a trunk's platform side (IP authentication and inbound digest, as LiveKit's inbound trunk).
 * The password may also come from --auth-password-stdin, --auth-password-file or
 * $TRUNKSCOPE_AUTH_PASSWORD (issue 15: off the command line), resolved by applyInboundPassword.
 */
import type { Command } from 'commander';
import { InboundGuard } from '../../engine/index.ts';
import { UsageError } from './common.ts';
import { addSecretOptions, applySecret, AUTH_PASSWORD_SPEC } from './password-source.ts';

export interface InboundOpts {
  allowFrom?: string;
  authUser?: string;
  authPassword?: string;
  authPasswordStdin?: boolean;
  authPasswordFile?: string;
  realm?: string;
}

export function addInboundOptions(cmd: Command): Command {
  cmd
    .option('--allow-from <list>', 'accept INVITEs only from these IPs/CIDRs, v4 or v6 (comma list); others get 403 with a Warning')
    .option('--auth-user <name>', 'inbound digest: challenge INVITEs with 407 for this user');
  return addSecretOptions(cmd, AUTH_PASSWORD_SPEC, 'inbound digest password').option('--realm <realm>', 'inbound digest realm (default "trunkscope")');
}

/**
 * Put the inbound password (flag, stdin, file, a --profile's, or $TRUNKSCOPE_AUTH_PASSWORD when
 * --auth-user is given) in `o.authPassword`. Before inboundGuardFrom.
 */
export async function applyInboundPassword(o: InboundOpts, cmd: Command): Promise<void> {
  await applySecret(AUTH_PASSWORD_SPEC, o, cmd, o.authUser !== undefined);
}

/** The guard the flags ask for, or undefined; bad values are usage errors. */
export function inboundGuardFrom(o: InboundOpts): InboundGuard | undefined {
  if ((o.authUser === undefined) !== (o.authPassword === undefined)) throw new UsageError('--auth-user and --auth-password go together');
  if (o.realm !== undefined && o.authUser === undefined) throw new UsageError('--realm needs --auth-user and --auth-password');
  const allowFrom = o.allowFrom?.split(',').map((x) => x.trim()).filter(Boolean);
  if (o.allowFrom !== undefined && !allowFrom?.length) throw new UsageError('--allow-from: empty list');
  try {
    const guard = new InboundGuard({
      allowFrom,
      digest: o.authUser !== undefined ? { username: o.authUser, password: o.authPassword!, realm: o.realm } : undefined,
    });
    return guard.active ? guard : undefined;
  } catch (err) {
    throw new UsageError(`--allow-from: ${(err as Error).message}`);
  }
}
