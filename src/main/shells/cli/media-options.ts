/** The media flags `call` and `listen` share (issue: media engine, CLI). */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { intOption, numberOption, UsageError } from './common.ts';
import { DEFAULT_CODECS, MediaPrefsError, parseCodecList, parseDtmfMethod, parsePortRange, parseSrtpPolicy, type MediaPrefs, type SourceSpec, CallMedia, parseDigits, WavFileError } from '../../engine/index.ts';

export interface MediaOpts {
  codec?: string;
  dtmf: string;
  rtpPorts: string;
  symmetricRtp: boolean;
  srtp: string;
  play?: string;
  loop?: boolean;
  tone?: string;
  probe?: boolean;
  record?: string;
  ptime: string;
  mediaAddress?: string;
  rtcpMux?: boolean;
}

/**
 * `srtpDefault`: `call` offers plain RTP unless asked (the most interoperable offer); `listen`
 * defaults to `offer`, so the agent answers an SRTP offer with SRTP and a plain one with RTP.
 */
export function addMediaOptions(cmd: Command, defaultCodecs: string, srtpDefault: 'off' | 'offer' = 'off'): Command {
  return cmd
    .option('--codec <list>', `codecs in preference order, e.g. PCMA,PCMU (PCMU, PCMA, G722, opus, G729; default ${defaultCodecs})`)
    .option('--dtmf <method>', 'DTMF method: rfc2833 | info | inband', 'rfc2833')
    .option('--rtp-ports <A-B>', 'RTP port range', '10000-60000')
    .option('--no-symmetric-rtp', 'send RTP to the SDP address even when the peer sends from elsewhere')
    .option('--srtp <policy>', `SRTP (SDES): off | offer | require${srtpDefault === 'offer' ? ' (offer: answer SRTP offers with SRTP, plain ones with RTP)' : ''}`, srtpDefault)
    .option('--play <file.wav>', 'send this WAV file (any rate; resampled)')
    .option('--loop', 'with --play: start again at the end')
    .option('--tone <hz>', 'send a tone (default source: 1004 Hz at -10 dBm0)')
    .option('--probe', 'send the audio-path probe signal')
    .option('--record <file.wav>', 'record the call: stereo WAV, left = sent, right = received')
    .option('--ptime <ms>', 'packetization time', '20')
    .option('--media-address <ip>', 'address to put in SDP (default: the local address of the SIP flow)')
    .option('--rtcp-mux', 'offer rtcp-mux (RFC 5761)');
}

/** Validate the media flags into prefs (addresses are filled in per call). */
export function mediaPrefsFrom(o: MediaOpts, fallback: { codecs?: string[]; source: SourceSpec; bindAddress: string }): Omit<MediaPrefs, 'sdpAddress'> & { sdpAddress?: string } {
  try {
    const sources = [o.play, o.tone, o.probe].filter((x) => x !== undefined && x !== false);
    if (sources.length > 1) throw new UsageError('choose one of --play, --tone, --probe');
    let source = fallback.source;
    if (o.play) source = { kind: 'wav', path: o.play, loop: o.loop };
    else if (o.tone !== undefined) source = { kind: 'tone', hz: numberOption('tone', o.tone, 1)! };
    else if (o.probe) source = { kind: 'probe' };
    const ptime = intOption('ptime', o.ptime, 10, 120)!;
    return {
      codecs: o.codec ? parseCodecList(o.codec) : (fallback.codecs ?? DEFAULT_CODECS),
      dtmf: parseDtmfMethod(o.dtmf),
      srtp: parseSrtpPolicy(o.srtp),
      symmetric: o.symmetricRtp,
      portRange: parsePortRange(o.rtpPorts),
      bindAddress: fallback.bindAddress,
      sdpAddress: o.mediaAddress,
      ptime,
      rtcpMux: o.rtcpMux ?? false,
      source,
      record: o.record !== undefined ? writablePathArg('--record', o.record) : undefined,
    };
  } catch (err) {
    if (err instanceof MediaPrefsError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * A file we will write when the call ends: refused now (usage error, before any SIP) when its
 * directory is missing or read-only, or when it names a directory, rather than after the call.
 */
export function writablePathArg(name: string, path: string): string {
  const full = resolve(path);
  const existing = statOrUndefined(full);
  if (existing?.isDirectory()) throw new UsageError(`${name}: "${path}" is a directory, not a file`);
  const dir = dirname(full);
  if (!existing && !statOrUndefined(dir)?.isDirectory()) throw new UsageError(`${name}: cannot write "${path}": directory ${dir} does not exist`);
  try {
    accessSync(existing ? full : dir, constants.W_OK);
  } catch {
    throw new UsageError(`${name}: cannot write "${path}": permission denied`);
  }
  return path;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function digitsArg(text: string): string {
  try {
    return parseDigits(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Open a call's media; an unreadable --play file is a usage error, reported before any SIP. */
export async function openMedia(prefs: MediaPrefs): Promise<CallMedia> {
  try {
    return await CallMedia.open(prefs);
  } catch (err) {
    if (err instanceof WavFileError) throw new UsageError(`--play: ${err.message}`);
    throw err;
  }
}

export { localAddressFor } from '../../engine/index.ts';
