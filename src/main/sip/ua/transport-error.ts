/**
 * Naming transport errors for reports: a peer that refused us (TCP RST, or ICMP port unreachable
 * for UDP, RFC 3261 §18.4) is `connection-refused` — known at once, and not an authentication
 * failure — while other transport errors keep their own text.
 */

/** True when `err` (or its text) says the peer refused the connection or the datagram. */
export function isConnectionRefused(err: Error | string): boolean {
  const text = typeof err === 'string' ? err : err.message;
  return /connection-refused|ECONNREFUSED/.test(text);
}

/** The error's text, starting with `connection-refused: ` when the peer refused us. */
export function transportErrorText(err: Error): string {
  if (!isConnectionRefused(err) || err.message.startsWith('connection-refused')) return err.message;
  return `connection-refused: ${err.message}`;
}
