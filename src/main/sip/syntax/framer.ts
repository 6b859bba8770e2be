/**
 * Message framing on stream transports (TCP, TLS): RFC 3261 §18.3. On a stream the end of the
 * header section is the first empty line and the body length comes only from Content-Length,
 * which is therefore mandatory. Between messages a CRLFCRLF is a keep-alive ping and a single
 * CRLF its pong (RFC 5626 §3.5.1); CRLFs before a start-line are tolerated (RFC 3261 §7.5).
 *
 * Memory is bounded: the framer never holds more than maxHeaderBytes + maxBodyBytes. Bytes are
 * appended into one growable buffer (amortised O(1) per byte, no Buffer.concat per chunk) and
 * the header terminator is searched only in bytes not yet scanned.
 */

export type FramerOutput =
  | { kind: 'message'; data: Buffer }
  | { kind: 'keepalive-ping' }
  | { kind: 'keepalive-pong' };

export interface FramerLimits {
  /** Largest header section (start-line through the empty line). Default 64 KiB. */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted. Default 1 MiB. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The stream broke the framing rules; the connection must be closed (RFC 3261 §18.3). */
export class FramingError extends Error {
  /** Items framed from the same push before the error (deliver them, then close). */
  readonly output: FramerOutput[];
  constructor(reason: string, output: FramerOutput[] = []) {
    super(reason);
    this.name = 'FramingError';
    this.output = output;
  }
}

const CR = 0x0d;
const LF = 0x0a;
const INITIAL_CAPACITY = 16 * 1024;

export class StreamFramer {
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Offset (from start) where the search for the header terminator resumes. */
  private scanFrom = 0;
  /** Length of the current message's header section once found, else -1. */
  private headerLen = -1;
  private bodyLen = 0;
  /** A lone CRLF ended the previous chunk and was reported as a pong (see boundary()). */
  private lastWasLoneCrlf = false;
  private failed: string | undefined;

  constructor(limits: FramerLimits = {}) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Bytes currently held (a partial message). */
  get buffered(): number {
    return this.end - this.start;
  }

  /** The first `max` buffered bytes (for a trace entry when the stream is cut). */
  /** Bytes of a message whose header section has not ended yet (slowloris timing, issue 15). */
  get headerPending(): boolean {
    return this.headerLen < 0 && this.end > this.start;
  }

    peek(max = 2048): Buffer {
    return Buffer.from(this.buf.subarray(this.start, Math.min(this.end, this.start + max)));
  }

  /** Feed bytes; returns every complete item. Throws FramingError when the stream is unusable. */
  push(chunk: Buffer): FramerOutput[] {
    if (this.failed !== undefined) throw new FramingError(this.failed);
    const out: FramerOutput[] = [];
    let off = 0;
    try {
      // Feed the chunk in slices that fit the bound; every full buffer either yields a message
      // (freeing space) or breaks a limit, so this always progresses.
      while (off < chunk.length) {
        const room = this.maxHeaderBytes + this.maxBodyBytes - this.buffered;
        const n = Math.min(room, chunk.length - off);
        this.append(chunk.subarray(off, off + n));
        off += n;
        this.drain(out);
      }
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      this.failed = e.message;
      throw new FramingError(e.message, out);
    }
    return out;
  }

  private append(data: Buffer): void {
    if (data.length === 0) return;
    if (this.end + data.length > this.buf.length) {
      const live = this.end - this.start;
      const need = live + data.length;
      if (need <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = Math.max(INITIAL_CAPACITY, this.buf.length);
        while (cap < need) cap *= 2;
        cap = Math.max(need, Math.min(cap, this.maxHeaderBytes + this.maxBodyBytes));
        const next = Buffer.allocUnsafe(cap);
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    data.copy(this.buf, this.end);
    this.end += data.length;
  }

  private consume(n: number): void {
    this.start += n;
    this.scanFrom = 0;
    this.headerLen = -1;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Give back the memory of a large message once it is delivered.
      if (this.buf.length > 4 * INITIAL_CAPACITY) this.buf = Buffer.alloc(0);
    }
  }

  private drain(out: FramerOutput[]): void {
    for (;;) {
      if (this.headerLen < 0) {
        if (!this.boundary(out)) return;
        if (!this.findHeader()) return;
      }
      const total = this.headerLen + this.bodyLen;
      if (this.buffered < total) return;
      out.push({ kind: 'message', data: Buffer.from(this.buf.subarray(this.start, this.start + total)) });
      this.consume(total);
    }
  }

  /**
   * Keep-alives between messages (RFC 5626 §3.5.1). Returns true when a start-line begins at
   * `start`, false when more bytes are needed. A lone CRLF at the end of the data is reported
   * as a pong at once (a peer waiting for it must not stall); if the next bytes then bring a
   * second CRLF, the pair is taken as a ping split across segments.
   */
  private boundary(out: FramerOutput[]): boolean {
    if (this.scanFrom > 0) return true; // already inside a header section
    while (this.buffered > 0) {
      const b = this.buf;
      const s = this.start;
      const n = this.buffered;
      if (b[s] === LF) {
        // Bare LF between messages: tolerated and ignored.
        this.consume(1);
        continue;
      }
      if (b[s] !== CR) {
        this.lastWasLoneCrlf = false;
        return true;
      }
      if (n < 2) return false;
      if (b[s + 1] !== LF) {
        this.lastWasLoneCrlf = false;
        return true; // a stray CR: let the header rules reject it
      }
      if (this.lastWasLoneCrlf) {
        this.lastWasLoneCrlf = false;
        this.consume(2);
        out.push({ kind: 'keepalive-ping' });
        continue;
      }
      if (n >= 4 && b[s + 2] === CR && b[s + 3] === LF) {
        this.consume(4);
        out.push({ kind: 'keepalive-ping' });
        continue;
      }
      if (n === 3 && b[s + 2] === CR) return false; // maybe a ping still arriving
      this.consume(2);
      out.push({ kind: 'keepalive-pong' });
      this.lastWasLoneCrlf = n === 2;
    }
    return false;
  }

  /** Find the empty line ending the header section, then read Content-Length. */
  private findHeader(): boolean {
    const b = this.buf;
    const s = this.start;
    const n = this.buffered;
    const limit = Math.min(n, this.maxHeaderBytes);
    let i = this.scanFrom;
    let found = -1;
    // A blank line is LF followed by LF or by CR LF (CRLF line ends, bare LF tolerated).
    for (; i < limit; i++) {
      if (b[s + i] !== LF) continue;
      if (i + 1 >= n) break;
      if (b[s + i + 1] === LF) {
        found = i + 2;
        break;
      }
      if (b[s + i + 1] === CR) {
        if (i + 2 >= n) break;
        if (b[s + i + 2] === LF) {
          found = i + 3;
          break;
        }
      }
    }
    if (found < 0 || found > this.maxHeaderBytes) {
      if (n >= this.maxHeaderBytes) {
        throw new FramingError(`header section exceeds ${this.maxHeaderBytes} bytes without an empty line`);
      }
      this.scanFrom = Math.max(1, i);
      return false;
    }
    this.bodyLen = this.contentLength(b.toString('latin1', s, s + found));
    this.headerLen = found;
    this.scanFrom = found;
    return true;
  }

  /** RFC 3261 §18.3 / §20.14: Content-Length (compact `l`) is mandatory on streams. */
  private contentLength(header: string): number {
    const lines = header.split(/\r?\n/);
    let value: string | undefined;
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const m = /^(content-length|l)[ \t]*:(.*)$/i.exec(line);
      if (!m) continue;
      let v = m[2]!;
      // Header folding (RFC 3261 §7.3.1): continuation lines start with SP or HT.
      while (k + 1 < lines.length && /^[ \t]/.test(lines[k + 1]!)) v += ' ' + lines[++k]!;
      v = v.trim();
      if (value !== undefined && value !== v) throw new FramingError(`conflicting Content-Length values ${value} and ${v}`);
      value = v;
    }
    if (value === undefined) throw new FramingError('missing Content-Length (mandatory on stream transports, RFC 3261 §18.3)');
    if (!/^\d{1,10}$/.test(value)) throw new FramingError(`invalid Content-Length: ${JSON.stringify(value.slice(0, 40))}`);
    const len = Number(value);
    if (len > this.maxBodyBytes) throw new FramingError(`Content-Length ${len} exceeds limit of ${this.maxBodyBytes} bytes`);
    return len;
  }
}
