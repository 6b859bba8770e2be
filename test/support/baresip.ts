/**
 * Run baresip 1.0 (Debian's `baresip-core`) headless as a SIP/RTP peer on 127.0.0.1.
 *
 * A fresh config directory per run (`-f DIR`): `config` binds SIP to 127.0.0.1:PORT (`-n
 * 127.0.0.1` makes it put 127.0.0.1 in its SDP too), loads only what a sound-card-less machine
 * can run — g711 for codecs, `aufile` as the audio source (a WAV generated here with sox) and
 * `aubridge` as player/alert device (it just consumes the decoded audio) — and `menu` so `-e`
 * commands such as "/dial URI" work. No `stdio` module: its stdin is /dev/null (epoll refuses a
 * regular file). `accounts` holds one account that never registers and answers automatically.
 *
 * baresip is stopped by PID: `-t S` makes it quit by itself (hanging up with BYE), SIGTERM makes
 * it stop cleanly, and startProcess SIGKILLs it after `timeoutMs` as a last resort.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { startProcess, waitForOutput, type Proc } from './processes.ts';

export interface BaresipOptions {
  /** SIP port on 127.0.0.1 (default: a free one). */
  sipPort?: number;
  /** Frequency of the sine the audio source plays (a 10 s, 8 kHz, 16-bit WAV made with sox). */
  toneHz?: number;
  /** `-e` commands run once baresip is ready, e.g. "/dial sip:echo@127.0.0.1:5060". */
  commands?: string[];
  /** `-t`: quit (hanging up any call) after this many seconds. */
  quitAfterS?: number;
  /** RTP port range. */
  rtpPorts?: string;
  /** Hard limit on the process (SIGKILL). Default 20 s. */
  timeoutMs?: number;
  /**
   * SDES-SRTP (baresip's srtp module, account `mediaenc`): `srtp-mand` offers and accepts only
   * RTP/SAVP with a=crypto; `srtp` offers RTP/AVP with a=crypto (best effort).
   */
  mediaenc?: 'srtp' | 'srtp-mand';
  /** Codec modules to load besides g711 (e.g. g722, opus), in baresip's preference order. */
  codecs?: Array<'g722' | 'opus'>;
  /**
   * Sample rate and channels of the tone WAV: baresip 1.0's aufile does not resample, so they
   * must be the codec's (8000/1 for G.711, 16000/1 for G.722, 48000/2 for Opus).
   */
  toneFormat?: { rate: number; channels: number };
}

export interface BaresipRun {
  proc: Proc;
  sipPort: number;
  /** sip:baresip@127.0.0.1:PORT */
  uri: string;
  /** Resolves once baresip prints "baresip is ready". */
  ready: Promise<void>;
  /** Settles with baresip's whole output once it has exited. */
  exited: Promise<string>;
  /** SIGTERM by PID (SIGKILL after a grace period), then its output. */
  stop(): Promise<string>;
  /** Everything baresip printed so far (stdout and stderr). */
  output(): string;
}

export async function startBaresip(o: BaresipOptions = {}): Promise<BaresipRun> {
  // baresip binds SIP over UDP and TCP on the port; keep port+1 free too (TLS, if ever enabled).
  const sipPort = o.sipPort ?? (await freePort(2));
  const dir = mkdtempSync(join(tmpdir(), 'trunkscope-baresip-'));
  const wav = join(dir, 'tone.wav');
  execFileSync(
    'sox',
    [
      '-n',
      '-r',
      String(o.toneFormat?.rate ?? 8000),
      '-c',
      String(o.toneFormat?.channels ?? 1),
      '-b',
      '16',
      wav,
      'synth',
      '10',
      'sine',
      String(o.toneHz ?? 440),
      'vol',
      '0.5',
    ],
    { timeout: 10_000 },
  );
  const config = [
    'poll_method\t\tepoll',
    `sip_listen\t\t127.0.0.1:${sipPort}`,
    'audio_path\t\t/usr/share/baresip',
    'audio_player\t\taubridge,nil',
    'audio_alert\t\taubridge,nil',
    `audio_source\t\taufile,${wav}`,
    `rtp_ports\t\t${o.rtpPorts ?? '10000-19999'}`,
    'module_path\t\t/usr/lib/baresip/modules',
    ...(o.codecs ?? []).map((c) => `module\t\t\t${c}.so`),
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\taubridge.so',
    ...(o.mediaenc ? ['module\t\t\tsrtp.so'] : []),
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config'), config);
  const enc = o.mediaenc ? `;mediaenc=${o.mediaenc}` : '';
  writeFileSync(join(dir, 'accounts'), `<sip:baresip@127.0.0.1>;regint=0;answermode=auto${enc}\n`);
  writeFileSync(join(dir, 'contacts'), '');
  const args = ['-f', dir, '-n', '127.0.0.1'];
  if (o.quitAfterS !== undefined) args.push('-t', String(o.quitAfterS));
  for (const c of o.commands ?? []) args.push('-e', c);
  const proc = startProcess('baresip', args, o.timeoutMs ?? 20_000, { cwd: dir });
  const output = (): string =>
    `${proc.stdout()}${proc.stderr() ? `\n[stderr]\n${proc.stderr()}` : ''}`.replace(/\r/g, '\n');
  const exited = proc.exited.then(() => {
    rmSync(dir, { recursive: true, force: true });
    return output();
  });
  const ready = waitForOutput(proc, 'stdout', (t) => /baresip is ready/.test(t), 8000).then(
    () => undefined,
  );
  ready.catch(() => undefined);
  return {
    proc,
    sipPort,
    uri: `sip:baresip@127.0.0.1:${sipPort}`,
    ready,
    exited,
    output,
    async stop() {
      await proc.stop('SIGTERM', 3000);
      return exited;
    },
  };
}

/** baresip's output without its once-a-tick status line, for assertion messages. */
export function baresipLog(out: string, max = 5000): string {
  const lines = out
    .split('\n')
    .filter((l) => l.trim() && !/^\[\d+:\d\d:\d\d\] audio=/.test(l.trim()));
  const text = lines.join('\n');
  return text.length > max ? `…${text.slice(-max)}` : text;
}
