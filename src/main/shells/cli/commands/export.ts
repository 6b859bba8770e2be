/**
 * `trunkscope export sipp [URI] --out DIR`: the call (or load) the same flags describe for
 * `call` and `load`, written as a SIPp scenario, injection file, audio pcap and run.sh, so it runs
 * from any number of SIPp hosts; `--uas` writes the built-in agent's answer mode as a SIPp UAS.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addMediaOptions, mediaPrefsFrom, type MediaOpts } from '../media-options.ts';
import { addCommonOptions, intOption, parseTransports, sipUriArg, UsageError, type CommonOpts } from '../common.ts';
import { addCallFlags, callTemplateFrom, hostOf, type CallFlagOpts } from '../call-flags.ts';
import { applyPassword } from '../password-source.ts';
import { addLoadFlags, planFrom, readNumbers, type LoadFlagOpts } from '../load-flags.ts';
import { buildSippExport, parseAnswerMode, SippExportError, type SippExportOptions } from '../../../engine/index.ts';

interface ExportOpts extends CommonOpts, MediaOpts, CallFlagOpts, LoadFlagOpts {
  out: string;
  uas?: boolean;
  answer: string;
  answerDelay: string;
  port: string;
}

export function registerExport(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const exp = program.command('export').description('write a call or load as files for another tool');
  const cmd = exp
    .command('sipp')
    .description('write a SIPp scenario (uac.xml or uas.xml), numbers.csv, audio.pcap and run.sh for the call the flags describe')
    .argument('[uri]', 'SIP URI to call (or the target column of --numbers); not with --uas')
    .requiredOption('--out <dir>', 'directory to write into (created if missing)')
    .option('--uas', 'write the built-in agent (listen) as a SIPp UAS instead of a caller')
    .option('--answer <mode>', 'with --uas: echo | reject:CODE | ring | busy', 'echo')
    .option('--answer-delay <ms>', 'with --uas: ms between 180 Ringing and 200 OK', '0')
    .option('--port <port>', 'with --uas: SIP port SIPp listens on', '5060');
  addLoadFlags(cmd);
  addCallFlags(cmd, '10');
  addMediaOptions(cmd, 'PCMU,PCMA');
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((uri: string | undefined, o: ExportOpts, self: Command) =>
    run(async () => {
      await applyPassword(o, self, o.user !== undefined || o.authUser !== undefined); // issue 15: the flags addCallFlags adds
      const rows = o.numbers !== undefined ? readNumbers(o.numbers) : undefined;
      const prefs = mediaPrefsFrom(o, { source: { kind: 'tone', hz: 1004 }, bindAddress: '0.0.0.0' });
      const codecs = prefs.codecs.filter((c): c is 'PCMU' | 'PCMA' => c === 'PCMU' || c === 'PCMA');
      if (codecs.length !== prefs.codecs.length) throw new UsageError(`--codec: SIPp plays G.711 from a pcap; export PCMU and/or PCMA (got ${prefs.codecs.join(',')})`);
      if (prefs.srtp === 'require') throw new UsageError('--srtp require: SIPp scenarios send plain RTP');
      const plan = planFrom(o, rows);
      const template = callTemplateFrom(o);
      let options: SippExportOptions;
      const base = { codecs, ptimeMs: prefs.ptime, headers: template.headers ?? [], displayName: template.displayName, callDuration: plan.callDuration, rate: plan.rate, calls: plan.calls === 10_000_000 ? Math.ceil(plan.rate * (plan.durationSec ?? 0)) : plan.calls, concurrency: plan.concurrency, durationSec: plan.durationSec, timeoutSec: template.timeoutSec ?? 10 };
      if (o.uas) {
        if (uri !== undefined) throw new UsageError('export sipp --uas: takes no URI (the UAS listens on --port)');
        const answer = parseAnswerMode(o.answer);
        if (!answer) throw new UsageError(`--answer: expected echo, reject:CODE (300-699), ring or busy; got "${o.answer}"`);
        const protos = parseTransports(o.transport);
        options = { ...base, remote: '', transport: protos[0]!, rows: [], uas: { answer, answerDelayMs: intOption('answer-delay', o.answerDelay, 0, 600_000)!, port: intOption('port', o.port, 1, 65535)! } };
      } else {
        if (uri === undefined && !rows) throw new UsageError('export sipp: give a URI or --numbers FILE.csv (or --uas)');
        const target = uri !== undefined ? sipUriArg('URI', uri) : rows![0]!.target;
        const protos = parseTransports(o.transport, target);
        if (protos.length > 1) throw new UsageError('--transport: a call uses one transport');
        const user = o.user ?? o.authUser;
        const fromFor = (t: string, rowUser?: string): string | undefined => template.from ?? (rowUser ?? user ? `sip:${rowUser ?? user}@${hostOf(t)}` : undefined);
        const exportRows = rows ? rows.map((r) => ({ target: r.target, from: r.from ?? fromFor(r.target, r.user) })) : [{ target, from: fromFor(target) }];
        // SIPp 3.6 answers challenges with one user per run (-au/-ap): rows may not differ in it.
        const digestUsers = new Set((rows ?? [undefined]).map((r) => (r?.password !== undefined ? (r.authUser ?? r.user) : template.credentials ? (o.authUser ?? o.user) : undefined)));
        if (digestUsers.size > 1) throw new UsageError('export sipp: --numbers rows use different digest users; SIPp runs with one user and password (-au/-ap): export one file per user');
        const authUser = [...digestUsers][0];
        if (rows?.some((r) => r.headers.length > 0)) process.stderr.write('trunkscope: per-row headers of --numbers are not exported (a SIPp injection field holds one value); --header lines are\n');
        options = { ...base, remote: hostOf(template.proxy ?? target), transport: protos[0]!, rows: exportRows, authUser, sessionExpires: template.sessionTimer?.sessionExpires || undefined, audio: o.media ? prefs.source : undefined, digits: template.sendDtmf, dtmfAtSec: template.dtmfAtSec };
      }
      let result;
      try {
        result = await buildSippExport(options);
      } catch (err) {
        if (err instanceof SippExportError || /SIPp scenarios cannot carry/.test((err as Error).message)) throw new UsageError((err as Error).message);
        throw err;
      }
      try {
        if (!statOr(o.out)) mkdirSync(o.out, { recursive: true });
        else if (!statOr(o.out)!.isDirectory()) throw new UsageError(`--out: "${o.out}" is not a directory`);
        for (const f of result.files) {
          const path = join(o.out, f.name);
          writeFileSync(path, f.content, { mode: f.mode });
          chmodSync(path, f.mode);
        }
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`--out: cannot write ${o.out}: ${(err as Error).message}`);
      }
      const summary = { command: 'export', tool: 'sipp', out: o.out, files: result.files.map((f) => f.name), notes: result.notes, run: `sh ${join(o.out, 'run.sh')}` };
      if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write([`wrote ${summary.files.map((f) => join(o.out, f)).join(', ')}`, ...result.notes, `run: ${summary.run}`].join('\n') + '\n');
      return 0;
    }),
  );
}

function statOr(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
