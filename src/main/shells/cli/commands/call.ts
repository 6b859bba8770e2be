/** `trunkscope call URI`: place one call, stay connected --duration seconds, hang up, report. */
import type { Command } from 'commander';
import { addMediaOptions, digitsArg, localAddressFor, mediaPrefsFrom, openMedia, type MediaOpts } from '../media-options.ts';
import { implicitTransports } from '../implicit-transports.ts';
import { addCommonOptions, collect, defaultBind, headerArg, intOption, numberOption, output, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { runCall, exitCodeFor, formatDiagnosis, parseFailOn, type CallMedia } from '../../../engine/index.ts';
import type { CallReport } from '../../../../shared/model/report.ts';
import { addRouteOptions, routePlan, type RouteOpts } from '../call-route.ts';
import { addPasswordOptions, applyPassword, type PasswordOpts } from '../password-source.ts';
import { BUNDLE_HELP, checkBundlePath, writeBundle } from '../bundle-option.ts';
import { bundleCallFromTrace, supportBundle, type BundleCall } from '../../../engine/index.ts';
import { moveUriPasswords } from '../uri-password.ts';

interface CallOpts extends CommonOpts, MediaOpts, RouteOpts, PasswordOpts {
  sendDtmf?: string;
  dtmfAt: string;
  proxy?: string;
  user?: string;
  password?: string;
  authUser?: string;
  realm?: string;
  from?: string;
  displayName?: string;
  header: string[];
  duration: string;
  timeout: string;
  sessionExpires?: string;
  minSe?: string;
  lateOffer?: boolean;
  followRedirects?: boolean | string;
  holdAt?: string;
  holdFor?: string;
  expectSilence?: boolean;
  failOn?: string;
  bundle?: string;
}

export function registerCall(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('call')
    .description('place a call to URI and report how it went')
    .argument('<uri>', 'SIP URI to call, e.g. sip:echo@127.0.0.1:5060 (a NUMBER with --route/--routes)')
    .option('--proxy <uri>', 'outbound proxy: send the INVITE there with a pre-loaded Route')
    .option('--user <name>', 'user name (From user and digest user)')
    .option('--auth-user <name>', 'digest user name when it differs from --user')
    .option('--realm <realm>', 'expected digest realm (another realm is reported as realm-mismatch)')
    .option('--from <uri>', 'From URI, e.g. sip:+15551230000@trunk.example.com (IP-auth mode)')
    .option('--display-name <name>', 'From display name')
    .option('--header <line>', 'extra header "Name: value" on the INVITE (repeatable)', collect, [])
    .option('--duration <s>', 'seconds to stay connected before BYE', '5')
    .option('--timeout <s>', 'seconds to wait for an answer before CANCEL (with no provisional response yet: stop retransmitting and end, RFC 3261 §9.1)', '30')
    .option('--session-expires <s>', 'RFC 4028 Session-Expires to request (0: no session timer)', '1800')
    .option('--min-se <s>', 'RFC 4028 Min-SE', '90')
    .option('--late-offer', 'send the INVITE without SDP')
    .option('--follow-redirects [max]', 'follow 3xx redirects to the Contact they name (RFC 3261 §8.1.3.4), up to max (default 5); without it a 3xx is reported')
    .option('--hold-at <s>', 'put the call on hold (re-INVITE sendonly) after S seconds')
    .option('--hold-for <s>', 'resume after S seconds on hold', '1')
    .option('--send-dtmf <digits>', 'send these DTMF digits once connected (0-9 * # A-D; "," pauses 500 ms)')
    .option('--dtmf-at <s>', 'seconds after answer to start sending --send-dtmf', '1')
    .option('--expect-silence', 'silence from the peer is expected: no silent-audio cause (docs/diagnosis.md)')
    .option('--fail-on <verdict>', 'exit 1 from this diagnosis verdict on: failed (default) or degraded')
    .option('--bundle <file.zip>', BUNDLE_HELP);
  addPasswordOptions(cmd);
  addMediaOptions(cmd, 'PCMU,PCMA');
  addRouteOptions(cmd);
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((given: string, o: CallOpts, self: Command) =>
    run(async () => {
      await applyPassword(o, self, o.user !== undefined || o.authUser !== undefined); // issue 15: off the command line
      // RFC 3261 §19.1.1: a sip:user:password@ URI is sent without its password, used for digest.
      const uri = moveUriPasswords(given, o, (t) => process.stderr.write(`trunkscope: ${t}\n`));
      // --route/--routes: the number goes to each target of an outbound route in turn.
      if (o.bundle !== undefined) checkBundlePath(o.bundle);
      const plan = routePlan(uri, o);
      if (plan) {
        // --bundle: every attempt's SIP, the last one's report being the route's (with attempts).
        const legs: BundleCall[] = [];
        const bundle = o.bundle;
        const after = bundle === undefined ? undefined : (report: CallReport): boolean => writeBundle(bundle, supportBundle({ command: 'call', calls: routeBundleCalls(report, legs), secrets: o.password ? [o.password] : [] }).zip);
        return plan.run(async (target) => (await placeCall(target, o, true, legs)) as CallReport, after);
      }
      return (await placeCall(uri, o, false)) as number;
    }),
  );
}

/** The route's bundle: one set of files per attempt; the deciding attempt carries the route's report. */
function routeBundleCalls(report: CallReport, legs: readonly BundleCall[]): BundleCall[] {
  if (legs.length === 0) return [bundleCallFromTrace(report, [])];
  return legs.map((l, i) => (i === legs.length - 1 ? { ...l, report } : l));
}

/**
 * One call to `uri`; `attempt`: a route's attempt, whose report is returned instead of printed
 * (with `legs`, its report and trace records are added there for --bundle).
 */
async function placeCall(uri: string, o: CallOpts, attempt: boolean, legs?: BundleCall[]): Promise<number | CallReport> {
  // The former action body, its indentation kept so the diff stays small for the merge.
  {
    {
      const target = sipUriArg('URI', uri);
      const protos = parseTransports(o.transport, target);
      if (protos.length > 1) throw new UsageError('--transport: a call uses one transport');
      if (o.password !== undefined && o.user === undefined && o.authUser === undefined) throw new UsageError('--password needs --user or --auth-user');
      const headers = o.header.map(headerArg);
      const durationSec = numberOption('duration', o.duration, 0)!;
      const timeoutSec = numberOption('timeout', o.timeout, 0.1)!;
      const sessionExpires = intOption('session-expires', o.sessionExpires, 0, 86_400)!;
      const minSE = intOption('min-se', o.minSe, 1, 86_400)!;
      const holdAtSec = numberOption('hold-at', o.holdAt, 0);
      const holdForSec = numberOption('hold-for', o.holdFor, 0);
      const dtmfAtSec = numberOption('dtmf-at', o.dtmfAt, 0);
      const failOn = parseFailOn(o.failOn);
      if (!failOn) throw new UsageError(`--fail-on: expected failed or degraded, got "${o.failOn}"`);
      const maxRedirects = typeof o.followRedirects === 'string' ? intOption('follow-redirects', o.followRedirects, 1, 20)! : o.followRedirects ? 5 : 0;
      const proxy = o.proxy ? sipUriArg('--proxy', o.proxy) : undefined;
      const from = o.from ? sipUriArg('--from', o.from) : undefined;
      o.bind ??= defaultBind(proxy ?? target);
      const prefs = mediaPrefsFrom(o, { source: { kind: 'tone', hz: 1004 }, bindAddress: o.bind });
      const digits = o.sendDtmf !== undefined ? digitsArg(o.sendDtmf) : undefined;
      const stack = await startStack({ ...o, trace: o.trace || o.bundle !== undefined }, implicitTransports(o.transport, proxy ?? target) ?? protos, 0); // RFC 3263 §4.1: NAPTR may pick
      let media: CallMedia | undefined;
      try {
        const sdpAddress = prefs.sdpAddress ?? (await localAddressFor(stack, proxy ?? target, protos[0]!));
        media = await openMedia({ ...prefs, sdpAddress });
        const user = o.user ?? o.authUser;
        const report = await runCall(stack, media, {
          target,
          proxy,
          from: from ?? (o.user ? `sip:${o.user}@${hostOf(target)}` : undefined),
          displayName: o.displayName,
          headers,
          credentials: o.password !== undefined && user ? { username: user, password: o.password, authUser: o.authUser, realm: o.realm } : undefined,
          timeoutSec,
          durationSec,
          sessionTimer: { sessionExpires, minSE },
          lateOffer: o.lateOffer,
          maxRedirects,
          holdAtSec,
          holdForSec,
          sendDtmf: digits,
          dtmfAtSec,
          expectSilence: o.expectSilence,
        });
        await media.close();
        if (media.recordingError && report.media) report.media.recordingError = media.recordingError;
        // The trace array is the stack's own: the messages sent while it closes end up in it too.
        if (attempt) {
          legs?.push(bundleCallFromTrace(report, stack.trace));
          return report;
        }
        await output(o, report, stack, [
          `${report.outcome}: ${report.reason}`,
          `call-id ${report.callId}  setup ${report.setupMs ?? '-'} ms  connected ${report.durationMs ?? '-'} ms  ${report.transport} ${report.local ?? '?'} → ${report.remote ?? '?'}`,
          ...formatDiagnosis(report),
        ]);
        // --bundle: the report, the trace records (kept for it) and the diagnosis in one zip.
        const bundled = o.bundle === undefined || writeBundle(o.bundle, supportBundle({ command: 'call', calls: [bundleCallFromTrace(report, stack.trace)], secrets: o.password ? [o.password] : [] }).zip);
        if (!bundled) return 1;
        if (media.recordingError) process.stderr.write(`trunkscope: ${media.recordingError}\n`);
        // The recording the user asked for is lost: a failure even if the call went well.
        return exitCodeFor(report, failOn, !media.recordingError);
      } finally {
        await media?.close();
        await stack.close();
      }
    }
  }
}

function hostOf(uri: string): string {
  const at = uri.indexOf('@');
  const rest = at >= 0 ? uri.slice(at + 1) : uri.replace(/^sips?:/i, '');
  return rest.split(/[;?>]/)[0]!;
}
