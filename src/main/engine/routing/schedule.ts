/**
 * `time:` windows: days of the week and an HH:MM-HH:MM span in a named IANA time zone, read with
 * Intl (no time-zone table of our own). A span whose end is before its start crosses midnight
 * (22:00-06:00); the day is the day the span starts on.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface TimeWindow {
  zone: string;
  days: Set<number>;
  /** Minutes after midnight; undefined: all day. */
  from?: number;
  to?: number;
  text: string;
}

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.trim().toLowerCase().slice(0, 3));
  if (i < 0) throw new ScheduleError(`unknown day "${name}" (mon, tue, wed, thu, fri, sat, sun)`);
  return i;
}

/** `mon-fri`, `sat,sun`, ['mon', 'wed-fri'] → the set of day numbers (0 = Sunday). */
export function parseDays(spec: string | string[] | undefined): Set<number> {
  if (spec === undefined) return new Set([0, 1, 2, 3, 4, 5, 6]);
  const parts = (Array.isArray(spec) ? spec : [spec]).flatMap((s) => s.split(','));
  const out = new Set<number>();
  for (const p of parts) {
    const [a, b] = p.split('-');
    const from = dayIndex(a!);
    const to = b === undefined ? from : dayIndex(b);
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return out;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.trim().split(':').map(Number) as [number, number];
  if (h > 24 || m > 59 || (h === 24 && m !== 0)) throw new ScheduleError(`bad time "${hhmm}"`);
  return h * 60 + m;
}

export function parseWindow(w: { zone: string; days?: string | string[]; hours?: string }): TimeWindow {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: w.zone });
  } catch {
    throw new ScheduleError(`unknown time zone "${w.zone}" (an IANA name such as Europe/London)`);
  }
  const days = parseDays(w.days);
  let from: number | undefined;
  let to: number | undefined;
  if (w.hours) {
    const [a, b] = w.hours.split('-') as [string, string];
    from = minutes(a);
    to = minutes(b);
    if (from === to) throw new ScheduleError(`empty span "${w.hours}"`);
  }
  const text = `${w.days ? [w.days].flat().join(',') : 'every day'} ${w.hours ?? 'all day'} ${w.zone}`;
  return { zone: w.zone, days, from, to, text };
}

/** Weekday (0 = Sunday) and minutes after midnight of `at` in `zone`. */
export function localTime(at: Date, zone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { day: dayIndex(get('weekday')), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function inWindow(w: TimeWindow, at: Date): boolean {
  const { day, minute } = localTime(at, w.zone);
  if (w.from === undefined || w.to === undefined) return w.days.has(day);
  if (w.from < w.to) return w.days.has(day) && minute >= w.from && minute < w.to;
  // Crosses midnight: the evening part on a listed day, the morning part on the day after one.
  if (minute >= w.from) return w.days.has(day);
  return minute < w.to && w.days.has((day + 6) % 7);
}

/** Local time as text for the tester ("Mon 09:30 Europe/London"). */
export function describeLocal(at: Date, zone: string): string {
  const { day, minute } = localTime(at, zone);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${DAYS[day]} ${hh}:${mm} ${zone}`;
}
