/**
 * A bare SIP-over-UDP client for abuse tests: sends hand-written requests from 127.0.0.1 (or a
 * given loopback source) and reads the responses, so a test can send exactly the bytes an
 * attacker or a broken peer would (bad SDP, floods) and time the listener's answers.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export interface RawResponse {
  status: number;
  text: string;
  header(name: string): string | undefined;
}

function parse(text: string): RawResponse {
  const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
  return {
    status,
    text,
    header(name: string) {
      const end = text.indexOf('\r\n\r\n');
      for (const line of text.slice(0, end < 0 ? text.length : end).split('\r\n')) {
        const c = line.indexOf(':');
        if (c > 0 && line.slice(0, c).trim().toLowerCase() === name.toLowerCase()) return line.slice(c + 1).trim();
      }
      return undefined;
    },
  };
}

export class RawUac {
  private readonly sock: Socket;
  private readonly waiters = new Set<(r: RawResponse) => void>();
  readonly port: number;
  /** Datagrams received so far (responses and anything else). */
  received = 0;

  private constructor(sock: Socket) {
    this.sock = sock;
    this.port = sock.address().port;
    sock.on('message', (m) => {
      this.received++;
      const r = parse(m.toString('latin1'));
      for (const w of [...this.waiters]) w(r);
    });
  }

  static async open(address = '127.0.0.1'): Promise<RawUac> {
    const sock = createSocket('udp4');
    await new Promise<void>((r, j) => {
      sock.once('error', j);
      sock.bind(0, address, () => r());
    });
    return new RawUac(sock);
  }

  send(data: string | Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((r, j) => this.sock.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, host, (e) => (e ? j(e) : r())));
  }

  /** The first response matching `pred` within `timeoutMs`, else undefined. */
  waitFor(pred: (r: RawResponse) => boolean, timeoutMs: number): Promise<RawResponse | undefined> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters.delete(w);
        resolve(undefined);
      }, timeoutMs);
      const w = (r: RawResponse): void => {
        if (!pred(r)) return;
        clearTimeout(t);
        this.waiters.delete(w);
        resolve(r);
      };
      this.waiters.add(w);
    });
  }

  /** Headers of a request from this socket (Via with a fresh branch, From tag, Call-ID). */
  request(method: string, target: string, callId: string, extra = '', body = '', cseq = 1): string {
    const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const ct = body ? 'Content-Type: application/sdp\r\n' : '';
    return (
      `${method} ${target} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:abuse@127.0.0.1>;tag=${callId.slice(0, 8)}\r\nTo: <${target}>\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} ${method}\r\n` +
      `Contact: <sip:abuse@127.0.0.1:${this.port}>\r\n${extra}${ct}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  }

  /** INVITE with `sdp`; waits for the final response and ACKs a non-2xx one (RFC 3261 §17.1.1.3). */
  async invite(port: number, sdp: string, timeoutMs = 5000): Promise<RawResponse | undefined> {
    const callId = `${randomBytes(8).toString('hex')}@abuse`;
    const target = `sip:echo@127.0.0.1:${port}`;
    const req = this.request('INVITE', target, callId, '', sdp);
    const final = this.waitFor((r) => r.status >= 200 && (r.header('call-id') ?? '') === callId, timeoutMs);
    await this.send(req, port);
    const res = await final;
    if (res && res.status >= 300) {
      const via = /^Via: [^\r\n]*/m.exec(req)![0];
      const to = res.header('to') ?? `<${target}>`;
      await this.send(
        `ACK ${target} SIP/2.0\r\n${via}\r\nMax-Forwards: 70\r\nFrom: <sip:abuse@127.0.0.1>;tag=${callId.slice(0, 8)}\r\nTo: ${to}\r\nCall-ID: ${callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n`,
        port,
      );
    }
    return res;
  }

  /** One OPTIONS round trip in ms, or undefined on timeout. */
  async optionsRtt(port: number, timeoutMs = 2000): Promise<number | undefined> {
    const callId = `${randomBytes(8).toString('hex')}@ping`;
    const got = this.waitFor((r) => r.status >= 200 && r.header('call-id') === callId, timeoutMs);
    const t0 = performance.now();
    await this.send(this.request('OPTIONS', `sip:ping@127.0.0.1:${port}`, callId), port);
    return (await got) ? performance.now() - t0 : undefined;
  }

  close(): void {
    this.sock.close();
  }
}

/** An SDP offer from 127.0.0.1 with `extra` lines added to the audio section. */
export function offerSdp(extra: string[] = [], mLine = 'm=audio 40000 RTP/AVP 0 101', rtpPort?: number): string {
  const m = rtpPort !== undefined ? mLine.replace(/^m=audio \d+/, `m=audio ${rtpPort}`) : mLine;
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', m, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ...extra, ''].join('\r\n');
}
