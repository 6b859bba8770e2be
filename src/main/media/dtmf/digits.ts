/**
 * DTMF digits and their RFC 4733 §3.2 event codes: 0-9, * = 10, # = 11, A-D = 12-15.
 */
export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

/** Event code of a digit (accepts lower-case a-d), or undefined. */
export function digitToEvent(digit: string): number | undefined {
  const i = DTMF_DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  return i < 0 ? undefined : i;
}

/** Digit of an event code 0..15, or undefined (16 = flash and others are not digits). */
export function eventToDigit(event: number): DtmfDigit | undefined {
  return DTMF_DIGITS[event];
}

export function isDtmfDigit(s: string): s is DtmfDigit {
  return (DTMF_DIGITS as readonly string[]).includes(s);
}
