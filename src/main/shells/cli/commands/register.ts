/** `trunkscope register URI`: REGISTER (with digest), stay registered --duration s, un-REGISTER. */
import type { Command } from 'commander';
import { implicitTransports } from '../implicit-transports.ts';
import { addCommonOptions, collect, defaultBind, headerArg, intOption, numberOption, output, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { listenCallText, runRegistration } from '../../../engine/index.ts';
import { addAgentOptions, agentPlan, type AgentOpts } from '../agent-options.ts';
import { addMediaOptions } from '../media-options.ts';
import { addPasswordOptions, applyPassword, type PasswordOpts } from '../password-source.ts';
import { moveUriPasswords } from '../uri-password.ts';

interface RegisterOpts extends CommonOpts, AgentOpts, PasswordOpts {
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
    .option('--auth-user <name>', 'digest user name when it differs from --user')
    .option('--realm <realm>', 'expected digest realm (another realm is reported as realm-mismatch)')
    .option('--expires <s>', 'requested registration expiry', '3600')
    .option('--duration <s>', 'seconds to stay registered (refreshing) before un-REGISTER', '0')
    .option('--proxy <uri>', 'outbound proxy')
    .option('--registrar <uri>', 'registrar Request-URI (default: the URI host)')
    .option('--header <line>', 'extra header "Name: value" on REGISTER (repeatable)', collect, []);
  addPasswordOptions(cmd);
  addAgentOptions(cmd);
  addMediaOptions(cmd, 'PCMU,PCMA,G722,opus,G729', 'offer');
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((given: string, o: RegisterOpts, self: Command) =>
    run(async () => {
      await applyPassword(o, self, true); // issue 15: off the command line; the user may be the AOR's
      // RFC 3261 §19.1.1: a sip:user:password@ AOR is sent without its password, used for digest.
      const uri = moveUriPasswords(given, o, (t) => process.stderr.write(`trunkscope: ${t}\n`));
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
      // --answer: the built-in agent answers what the registrar sends to our contact.
      const plan = o.answer !== undefined ? await agentPlan(o) : undefined;
      const stack = await startStack(o, implicitTransports(o.transport, o.registrar ?? aor) ?? protos, 0); // RFC 3263 §4.1: NAPTR may pick;
      const agent = plan?.start(stack, { sessionExpires: 1800, minSE: 90 });
      if (agent) agent.onCall = o.json ? (r) => process.stdout.write(`${JSON.stringify(r)}\n`) : (r) => process.stdout.write(listenCallText(r));
      try {
        const report = await runRegistration(
          stack,
          {
            aor,
            registrar: o.registrar ? sipUriArg('--registrar', o.registrar) : undefined,
            proxy: o.proxy ? sipUriArg('--proxy', o.proxy) : undefined,
            credentials: o.password !== undefined && user ? { username: user, password: o.password, authUser: o.authUser, realm: o.realm } : undefined,
            expires,
            headers,
          },
          async () => {
            if (durationSec > 0) await waitOrSignal(durationSec);
            await agent?.stop();
          },
        );
        if (agent) Object.assign(report, { calls: agent.calls, callSummary: agent.callSummary() });
        const ok = report.outcome === 'registered';
        const reg = report.registration!;
        const calls = report.callSummary ? [`${report.callSummary.total} call(s) answered on the contact`] : [];
        await output(o, report, stack, [`${report.outcome}: ${report.reason}`, `expires ${reg.expires ?? '-'} s, refreshes ${reg.refreshes}, un-REGISTER ${reg.unregisterStatus ?? '-'}`, ...calls], { compact: agent !== undefined });
        return ok ? 0 : 1;
      } finally {
        await stack.close();
      }
    }),
  );
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
