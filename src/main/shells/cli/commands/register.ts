/** `trunkscope register URI`: REGISTER (with digest), stay registered --duration s, un-REGISTER. */
import type { Command } from 'commander';
import type { CallReport, Outcome } from '../../../../shared/model/report.ts';
import { implicitTransports } from '../implicit-transports.ts';
import { addCommonOptions, collect, defaultBind, headerArg, intOption, numberOption, output, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { endpointText, Registration, type RequestOutcome } from '../../../engine/index.ts';

interface RegisterOpts extends CommonOpts {
  user?: string;
  password?: string;
  authUser?: string;
  realm?: string;
  expires: string;
  duration: string;
  proxy?: string;
  registrar?: string;
  header: string[];
}

export function registerRegister(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('register')
    .description('register an address of record, stay registered, then unregister')
    .argument('<uri>', 'address of record or registrar, e.g. sip:alice@pbx.example.com')
    .option('--user <name>', 'user of the address of record and digest user')
    .option('--password <secret>', 'digest password')
    .option('--auth-user <name>', 'digest user name when it differs from --user')
    .option('--realm <realm>', 'expected digest realm (another realm is reported as realm-mismatch)')
    .option('--expires <s>', 'requested registration expiry', '3600')
    .option('--duration <s>', 'seconds to stay registered (refreshing) before un-REGISTER', '0')
    .option('--proxy <uri>', 'outbound proxy')
    .option('--registrar <uri>', 'registrar Request-URI (default: the URI host)')
    .option('--header <line>', 'extra header "Name: value" on REGISTER (repeatable)', collect, []);
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((uri: string, o: RegisterOpts) =>
    run(async () => {
      let aor = sipUriArg('URI', uri);
      if (!aor.includes('@')) {
        if (!o.user) throw new UsageError('URI has no user part: give sip:user@host or --user');
        aor = aor.replace(/^(sips?:)/i, `$1${o.user}@`);
      }
      const protos = parseTransports(o.transport, aor);
      if (protos.length > 1) throw new UsageError('--transport: register uses one transport');
      const expires = intOption('expires', o.expires, 0, 2 ** 31 - 1)!;
      const durationSec = numberOption('duration', o.duration, 0)!;
      const headers = o.header.map(headerArg);
      const user = o.authUser ?? o.user ?? /^sips?:([^@;]+)@/i.exec(aor)?.[1];
      o.bind ??= defaultBind(o.proxy ? sipUriArg('--proxy', o.proxy) : aor);
      const stack = await startStack(o, implicitTransports(o.transport, o.registrar ?? aor) ?? protos, 0); // RFC 3263 §4.1: NAPTR may pick
      const started = new Date();
      try {
        const reg = new Registration(stack.ua, {
          aor,
          registrar: o.registrar ? sipUriArg('--registrar', o.registrar) : undefined,
          proxy: o.proxy ? sipUriArg('--proxy', o.proxy) : undefined,
          credentials: o.password !== undefined && user ? { username: user, password: o.password, authUser: o.authUser, realm: o.realm } : undefined,
          expires,
          headers,
        });
        const first = await reg.register();
        const ok = isOk(first);
        const registeredAt = Date.now();
        let unregisterStatus: number | null = null;
        if (ok) {
          if (durationSec > 0) await waitOrSignal(durationSec);
          unregisterStatus = (await reg.unregister()).response?.status ?? null;
        }
        reg.stop();
        const report: CallReport = {
          command: 'register',
          outcome: outcomeOf(first),
          finalStatus: first.response?.status ?? null,
          reason: reasonOf(first),
          callId: reg.callId,
          setupMs: first.rttMs !== undefined ? Math.round(first.rttMs) : null,
          durationMs: ok ? Date.now() - registeredAt : null,
          transport: first.flow?.proto ?? first.destination?.proto ?? protos[0]!,
          local: first.flow ? endpointText(first.flow.local) : null,
          remote: first.flow ? endpointText(first.flow.remote) : first.destination ? endpointText(first.destination.remote) : null,
          startedAt: started.toISOString(),
          endedAt: new Date().toISOString(),
          authFailure: ok ? undefined : first.authFailure,
          registration: { expires: reg.grantedExpires ?? null, refreshes: reg.refreshes, unregisterStatus },
          messages: stack.messageCount(reg.callId, true),
          attempts: first.tried, // RFC 3263 §4.3: every target tried
        };
        await output(o, report, stack, [`${report.outcome}: ${report.reason}`, `expires ${report.registration!.expires ?? '-'} s, refreshes ${reg.refreshes}, un-REGISTER ${unregisterStatus ?? '-'}`]);
        return ok ? 0 : 1;
      } finally {
        await stack.close();
      }
    }),
  );
}

function isOk(o: RequestOutcome): boolean {
  const s = o.response?.status;
  return s !== undefined && s >= 200 && s < 300;
}

export function outcomeOf(o: RequestOutcome, success: Outcome = 'registered'): Outcome {
  if (isOk(o)) return success;
  if (o.error === 'timeout') return 'timeout';
  if (o.error === 'transport' || o.error === 'resolve') return 'unreachable';
  if (o.authFailure && o.authFailure !== 'unreachable' && o.authFailure !== 'no-response') return 'auth-failed';
  return 'failed';
}

export function reasonOf(o: RequestOutcome): string {
  const res = o.response;
  const base = res ? `${res.status} ${res.reason}` : (o.errorText ?? o.error ?? 'no response');
  return o.authFailure && !isOk(o) ? `${base} (${o.authFailure})` : base;
}

/** Stay registered for `sec` seconds; Ctrl-C / SIGTERM ends the wait early so we still un-REGISTER. */
function waitOrSignal(sec: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, sec * 1000);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
