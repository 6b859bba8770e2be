/**
 * `listen --allow-from LIST --auth-user U --auth-password P [--realm R]`: the built-in agent as
 * a trunk's platform side (IP authentication and inbound digest, as LiveKit's inbound trunk).
 */
import type { Command } from 'commander';
import { InboundGuard } from '../../engine/index.ts';
import { UsageError } from './common.ts';

export interface InboundOpts {
  allowFrom?: string;
  authUser?: string;
  authPassword?: string;
  realm?: string;
}

export function addInboundOptions(cmd: Command): Command {
  return cmd
    .option('--allow-from <list>', 'accept INVITEs only from these IPs/CIDRs, v4 or v6 (comma list); others get 403 with a Warning')
    .option('--auth-user <name>', 'inbound digest: challenge INVITEs with 407 for this user')
    .option('--auth-password <secret>', 'inbound digest password')
    .option('--realm <realm>', 'inbound digest realm (default "trunkscope")');
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
