/** HMAC and constant-time comparison helpers shared by the providers' validators. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hmacBase64(algorithm: 'sha1' | 'sha256', key: string, data: string): string {
  return createHmac(algorithm, Buffer.from(key, 'utf8'))
    .update(Buffer.from(data, 'utf8'))
    .digest('base64');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Constant-time string equality. Both sides are hashed first so that inputs of different lengths
 * take the same time too (timingSafeEqual needs equal lengths).
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** A token argument: `old,new` for a rotation window; blanks dropped. */
export function splitTokens(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
