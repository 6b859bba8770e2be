/**
 * Turn parsed call instructions into the argument list of `trunkscope call`, so `webhook send
 * --follow` places the call through exactly the same path as the call command. Credentials from
 * `<Sip username password>` or the `sip:USER:PASS@HOST` userinfo become digest credentials
 * (--user/--password); the URI passed on carries no password.
 */
import type { CallInstructions } from './call-instructions.ts';

export interface FollowOptions {
  durationS?: number;
  json?: boolean;
  /** Extra `call` arguments passed through as they are. */
  extra?: string[];
}

export function followArgs(ci: CallInstructions, opts: FollowOptions = {}): string[] {
  const t = ci.targets[0];
  if (!t)
    throw new Error(
      `the instructions dial no SIP URI${ci.numbers.length ? ` (only the number(s) ${ci.numbers.join(', ')}, which a SIP call cannot follow)` : ''}`,
    );
  const args = [t.uri];
  if (t.transport) args.push('--transport', t.transport);
  if (t.username !== undefined && t.password !== undefined)
    args.push('--user', t.username, '--password', t.password);
  if (ci.callerId) {
    const host =
      /@([^;?>]+)/.exec(t.uri)?.[1] ?? /^sips?:([^;?>]+)/i.exec(t.uri)?.[1] ?? 'trunkscope.invalid';
    const id = ci.callerId.trim();
    args.push('--from', /^sips?:/i.test(id) ? id : `sip:${id}@${host}`);
  }
  if (ci.timeoutS !== undefined && ci.timeoutS > 0) args.push('--timeout', String(ci.timeoutS));
  if (opts.durationS !== undefined) {
    const d =
      ci.timeLimitS !== undefined && ci.timeLimitS > 0
        ? Math.min(opts.durationS, ci.timeLimitS)
        : opts.durationS;
    args.push('--duration', String(d));
  }
  for (const [name, value] of Object.entries(t.headers)) args.push('--header', `${name}: ${value}`);
  if (opts.json) args.push('--json');
  args.push(...(opts.extra ?? []));
  return args;
}
