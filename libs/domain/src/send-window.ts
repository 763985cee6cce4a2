import type { z } from 'zod';
import type { sendWindowSchema } from './sequence-definition';

export type SendWindow = z.infer<typeof sendWindowSchema>;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function localParts(at: Date, timeZone: string): LocalParts & { minute: number; second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

const DAY_MS = 86_400_000;

/** How far the zone's wall clock is ahead of UTC at `ms` (negative west of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const local = localParts(new Date(ms), timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - ms;
}

/**
 * The first instant at which the wall clock in `timeZone` shows the given local date and hour. Around a
 * daylight-saving change the offsets a day before and a day after differ: a repeated hour (fall back) has two
 * instants and the earlier is taken; an hour that does not exist (spring forward) is moved later by the gap,
 * so 02:00 on the night Berlin jumps from 02:00 to 03:00 is 03:00 CEST, the first instant after the gap.
 */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  const before = asUtc - offsetAt(asUtc - DAY_MS, timeZone);
  const after = asUtc - offsetAt(asUtc + DAY_MS, timeZone);
  for (const candidate of [Math.min(before, after), Math.max(before, after)]) {
    const shown = localParts(new Date(candidate), timeZone);
    const exact =
      shown.year === year &&
      shown.month === month &&
      shown.day === day &&
      shown.hour === hour &&
      shown.minute === 0;
    if (exact) return new Date(candidate);
  }
  return new Date(before);
}

/** The calendar date `offset` days after the local date (calendar arithmetic, no zone involved). */
function localDate(
  local: LocalParts,
  offset: number,
): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}

/** A window whose start hour is after its end hour runs past midnight (22 → 6). */
export const isOvernight = (window: SendWindow): boolean => window.startHour > window.endHour;

/**
 * Whether the local wall-clock hour lies inside the window. An overnight stretch belongs to the day it opens:
 * with days [5] (Friday) and 22 → 6, Friday 23:00 and Saturday 05:00 are inside, Friday 03:00 is not (that
 * stretch opened on Thursday, which is not listed).
 */
function isInside(window: SendWindow, local: LocalParts): boolean {
  if (!isOvernight(window)) {
    return (
      window.days.includes(local.weekday) && local.hour >= window.startHour && local.hour < window.endHour
    );
  }
  const openedToday = window.days.includes(local.weekday) && local.hour >= window.startHour;
  const openedYesterday = window.days.includes(localDate(local, -1).weekday) && local.hour < window.endHour;
  return openedToday || openedYesterday;
}

/**
 * When a step due at `due` may go out under the sequence's send window (days of the week 0 = Sunday, and
 * local hours [startHour, endHour) in the account's time zone): `due` itself if inside, else the next opening.
 * A start hour after the end hour is an overnight window: it opens at startHour on each listed day and closes
 * at endHour the next morning. An opening that falls in a daylight-saving gap (02:00 on the night clocks jump
 * to 03:00) is the first instant after the gap. The answer is never before `due`, and it is always an instant
 * the window holds (or, where a gap swallows a whole window, a later opening), so a deferred step is never
 * deferred again at the time it was deferred to. Throws a RangeError for a time zone Intl does not know:
 * callers check `isValidTimeZone` first.
 */
export function nextSendTime(due: Date, window: SendWindow | undefined, timeZone: string): Date {
  if (!window) return due;
  const local = localParts(due, timeZone);
  if (isInside(window, local)) return due;
  // Eight days: today's opening may have passed, and the same weekday a week on is then the last candidate.
  for (let offset = 0; offset <= 8; offset++) {
    const date = localDate(local, offset);
    if (!window.days.includes(date.weekday)) continue;
    const opening = zonedInstant(date.year, date.month, date.day, window.startHour, timeZone);
    if (opening.getTime() > due.getTime() && isInside(window, localParts(opening, timeZone))) return opening;
  }
  return due;
}
