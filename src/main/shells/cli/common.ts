/**
 * What every CLI command shares: transport/TLS/timer options, usage errors (exit 2), and
 * printing the report (--json) and the trace (--trace).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ownedHeaderError } from './owned-headers.ts';
import { bareWordError } from './uri-word.ts';
import type { Command } from 'commander';
import type { CallReport } from '../../../shared/model/report.ts';
import { junitXml, type SipStack, startStack as startEngineStack, parseUri, formatTrace, type TransportProto } from '../../engine/index.ts';

/** A user mistake on the command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommonOpts {
  json?: boolean;
  junit?: string;
  trace?: boolean;
  showSecrets?: boolean;
  transport?: string;
  bind?: string;
  localPort?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsInsecure?: boolean;
  tlsClientCert?: string;
  tlsClientKey?: string;
  dns?: string[];
  t1?: string;
  t2?: string;
  t4?: string;
  userAgent?: string;
  targetTimeout?: string;
}

export function addCommonOptions(cmd: Command, defaults: { transport: string; port: string }): Command {
  return cmd
    .option('--json', 'print one JSON report object (schema: docs/report-schema.md)')
    .option('--trace', 'print the SIP ladder and every message in full')
    .option('--show-secrets', 'with --trace: print digest responses as sent (masked by default: crackable offline)')
    .option('--junit <file.xml>', 'also write the result as JUnit XML (one test case per call)')
    .option('--transport <list>', `udp, tcp or tls (listen: a comma list; default ${defaults.transport}${defaults.transport === 'udp' ? ', or what the URI names' : ''})`)
    .option('--bind <address>', 'local address to bind, IPv4 or IPv6 (default: 0.0.0.0; :: when the next hop is an IPv6 address)')
    .option('--local-port <port>', 'local SIP port (0: any free port)', defaults.port)
    .option('--tls-cert <file>', 'TLS certificate (PEM); a self-signed one is generated if absent')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-ca <file>', 'CA certificates (PEM) to verify the peer with')
    .option('--tls-insecure', 'accept self-signed / unverifiable server certificates')
    .option('--tls-client-cert <file>', 'client certificate (PEM) for mutual TLS')
    .option('--tls-client-key <file>', 'client certificate key (PEM)')
    .option('--dns <server>', 'DNS server for RFC 3263 lookups, ip[:port] (repeatable)', collect, [])
    .option('--t1 <ms>', 'RFC 3261 T1 (ms)', '500')
    .option('--t2 <ms>', 'RFC 3261 T2 (ms)', '4000')
    .option('--t4 <ms>', 'RFC 3261 T4 (ms)', '5000')
    .option('--user-agent <text>', 'User-Agent / Server header value')
    .option('--target-timeout <s>', 'seconds to wait for a target\'s first response before trying the next RFC 3263 target (default 5)');
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The transports to use: --transport when given, else the URI's `transport` param (sips → tls),
 * else the command's default.
 */
export function parseTransports(text: string | undefined, uri?: string, fallback = 'udp'): TransportProto[] {
  if (text === undefined && uri !== undefined) {
    const param = /;transport=(udp|tcp|tls)\b/i.exec(uri)?.[1]?.toLowerCase();
    text = param ?? (/^sips:/i.test(uri) ? 'tls' : undefined);
  }
  const list = (text ?? fallback).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const t of list) if (t !== 'udp' && t !== 'tcp' && t !== 'tls') throw new UsageError(`--transport: unknown transport "${t}" (use udp, tcp or tls)`);
  if (list.length === 0) throw new UsageError('--transport: empty');
  return [...new Set(list)] as TransportProto[];
}

export function intOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`--${name}: expected an integer ${min}..${max}, got "${text}"`);
  return n;
}

export function numberOption(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name}: expected a number >= ${min}, got "${text}"`);
  return n;
}

/** A SIP URI argument; `user@host` and `host` are accepted and get `sip:` prepended. */
/**
 * The local address to bind when --bind is not given: the IPv4 wildcard, or the IPv6 one when the
 * next hop (proxy or target) is an IPv6 literal — an IPv4 socket cannot reach it.
 */
export function defaultBind(hop: string): string {
  let host = '';
  try {
    host = parseUri(hop).host ?? '';
  } catch {
    // sipUriArg has already refused an unparsable URI; keep the IPv4 default.
  }
  return host.includes(':') ? '::' : '0.0.0.0';
}

export function sipUriArg(name: string, text: string): string {
  const word = bareWordError(name, text);
  if (word) throw new UsageError(word);
  const t = /^sips?:/i.test(text) || /^tel:/i.test(text) ? text : `sip:${text}`;
  try {
    const u = parseUri(t);
    if (!u.host) throw new Error('no host');
  } catch (err) {
    throw new UsageError(`${name}: not a valid SIP URI "${text}" (${(err as Error).message})`);
  }
  return t;
}

/** `Name: value` from --header. */
export function headerArg(text: string): [string, string] {
  const m = /^([A-Za-z0-9!%*_+`'~.-]+)\s*:\s*(.*)$/.exec(text);
  if (!m) throw new UsageError(`--header: expected "Name: value", got "${text}"`);
  if (/[\r\n]/.test(text)) throw new UsageError('--header: line breaks are not allowed');
  const owned = ownedHeaderError(m[1]!);
  if (owned) throw new UsageError(owned);
  return [m[1]!, m[2]!];
}

function readPem(name: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--${name}: cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Build and start the stack the command needs (the engine's one stack factory). */
export async function startStack(o: CommonOpts, protos: TransportProto[], defaultPort: number): Promise<SipStack> {
  const port = intOption('local-port', o.localPort, 0, 65535) ?? defaultPort;
  return startEngineStack({
    transports: protos,
    address: o.bind ?? '0.0.0.0',
    port,
    tls: {
      cert: readPem('tls-cert', o.tlsCert),
      key: readPem('tls-key', o.tlsKey),
      ca: readPem('tls-ca', o.tlsCa),
      clientCert: readPem('tls-client-cert', o.tlsClientCert),
      clientKey: readPem('tls-client-key', o.tlsClientKey),
    },
    tlsInsecure: o.tlsInsecure,
    dnsServers: o.dns,
    timers: { T1: intOption('t1', o.t1, 1, 60_000), T2: intOption('t2', o.t2, 1, 600_000), T4: intOption('t4', o.t4, 1, 600_000) },
    userAgent: o.userAgent,
    // The CLI prints messages only with --trace; without it, keep counts, not bytes.
    traceLimit: o.trace ? 100_000 : 0,
    targetTimeoutMs: msOf(numberOption('target-timeout', o.targetTimeout, 0.1)), // RFC 3263 §4.3 per-target time
  });
}

/**
 * Close the stack (so the last messages — an ACK, a 200 to BYE — are sent and traced), then print
 * the report (--json) or a human summary, plus the trace when asked.
 */
export async function output(o: CommonOpts, report: CallReport, stack: SipStack | undefined, human: string[], style: { compact?: boolean } = {}): Promise<void> {
  await stack?.close();
  if (o.junit) {
    try {
      writeFileSync(o.junit, junitXml(report, report.remote ?? report.local ?? ''));
    } catch (err) {
      process.stderr.write(`trunkscope: cannot write --junit ${o.junit}: ${(err as Error).message}\n`);
    }
  }
  const traceText = o.trace && stack ? formatTrace(stack.trace, { showSecrets: o.showSecrets }) : '';
  if (o.json) {
    if (traceText) process.stderr.write(traceText);
    process.stdout.write(`${style.compact ? JSON.stringify(report) : JSON.stringify(report, null, 2)}\n`);
  } else {
    if (traceText) process.stdout.write(traceText);
    process.stdout.write(`${human.join('\n')}\n`);
  }
}

function msOf(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
