/**
 * `trunkscope test --profile NAME [--call NUMBER] [--json]`: Test Connection — dns, transport,
 * options, register or ip-auth, clock, and media with --call — each step printed as it finishes.
 * Exit 0 when no step failed, 1 otherwise, 2 on a usage error.
 */
import type { Command } from 'commander';
import type { TestStep } from '../../../../shared/model/report.ts';
import { CallMedia, runCall, testConnection, type SipStack } from '../../../engine/index.ts';
import { intOption, numberOption, UsageError } from '../common.ts';
import { localAddressFor } from '../media-options.ts';
import { openBook } from './profile.ts';
import { profileHeaders, targetFor } from '../profile-options.ts';

interface TestOpts {
  profile?: string;
  call?: string;
  duration: string;
  json?: boolean;
  tlsInsecure?: boolean;
  dns: string[];
  t1: string;
  bind?: string;
}

const MARK: Record<TestStep['status'], string> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

export function stepLine(s: TestStep): string {
  return `${MARK[s.status]}  ${s.name.padEnd(9)} ${String(s.ms).padStart(5)} ms  ${s.detail}`;
}

export function registerTest(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  program
    .command('test')
    .description('Test Connection: check a trunk profile step by step (dns, transport, options, register/ip-auth, clock, media)')
    .option('--profile <name>', 'the trunk profile to test (`trunkscope profile list`)')
    .option('--call <number>', 'also place a test call to NUMBER and check media both ways')
    .option('--duration <s>', 'seconds the test call stays up', '3')
    .option('--json', 'print one JSON report')
    .option('--tls-insecure', 'accept a TLS certificate that does not verify (self-signed test peers)')
    .option('--dns <server>', 'DNS server for RFC 3263 lookups, ip[:port] (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--t1 <ms>', 'RFC 3261 T1 (ms): requests give up after 64·T1', '500')
    .option('--bind <address>', 'local address to bind')
    .action((o: TestOpts) =>
      run(async () => {
        if (!o.profile) throw new UsageError('--profile NAME is required (see `trunkscope profile list`)');
        const t1 = intOption('t1', o.t1, 1, 60_000)!;
        const durationSec = numberOption('duration', o.duration, 0)!;
        const book = openBook();
        const profile = book.get(o.profile);
        if (!profile) throw new UsageError(`--profile: no profile named "${o.profile}" (see \`trunkscope profile list\`)`);
        const progress = (line: string): void => void (o.json ? process.stderr : process.stdout).write(`${line}\n`);
        progress(`testing ${profile.name} (${profile.preset}, ${profile.mode}, ${profile.transport} ${profile.domain}); secrets: ${book.secretStore.description}`);
        const placeCall = async (stack: SipStack, number: string) => {
          const target = targetFor(profile, number);
          const sdpAddress = await localAddressFor(stack, profile.outboundProxy || target, profile.transport);
          const media = await CallMedia.open({
            codecs: profile.codecs,
            dtmf: profile.dtmf,
            srtp: profile.srtp,
            symmetric: true,
            portRange: { min: 10_000, max: 60_000 },
            bindAddress: o.bind ?? '0.0.0.0',
            sdpAddress,
            ptime: 20,
            rtcpMux: false,
            source: { kind: 'tone', hz: 1004 },
          });
          try {
            const user = profile.authUsername || profile.username;
            const password = book.secret(profile.name, 'password');
            return await runCall(stack, media, {
              target,
              proxy: profile.outboundProxy || undefined,
              from: `sip:${profile.fromUser || profile.username || 'trunkscope'}@${profile.domain}`,
              displayName: profile.displayName || undefined,
              headers: profileHeaders(profile).map((l) => {
                const i = l.indexOf(':');
                return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
              }),
              credentials: password !== undefined && user ? { username: user, password, authUser: profile.authUsername || undefined, realm: profile.realm || undefined } : undefined,
              timeoutSec: 30,
              durationSec,
              sessionTimer: { sessionExpires: profile.sessionTimer.expires, minSE: profile.sessionTimer.minSe },
            });
          } finally {
            await media.close();
          }
        };
        const report = await testConnection({
          profile,
          password: book.secret(profile.name, 'password'),
          tlsInsecure: o.tlsInsecure,
          dnsServers: o.dns.length ? o.dns : undefined,
          t1,
          call: o.call,
          placeCall,
          bind: o.bind,
          onStep: (s) => progress(stepLine(s)),
        });
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(`${report.ok ? 'connection OK' : `connection FAILED at ${report.steps.find((s) => s.status === 'fail')?.name}`}\n`);
        return report.ok ? 0 : 1;
      }),
    );
}
