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

/** The instant at which the wall clock in `timeZone` shows the given local date and hour. */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  // The zone's offset at that moment, measured by reading the UTC guess back in the zone (twice, for DST edges).
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const local = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
    guess = asUtc - (shown - guess);
  }
  return new Date(guess);
}

/**
 * When a step due at `due` may go out under the sequence's send window (days of the week 0 = Sunday, and
 * hours [startHour, endHour) in the account's time zone): `due` itself if inside, else the next opening.
 */
export function nextSendTime(due: Date, window: SendWindow | undefined, timeZone: string): Date {
  if (!window) return due;
  const local = localParts(due, timeZone);
  const todayOpen =
    window.days.includes(local.weekday) && local.hour >= window.startHour && local.hour < window.endHour;
  if (todayOpen) return due;
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const weekday = date.getUTCDay();
    if (!window.days.includes(weekday)) continue;
    if (offset === 0 && local.hour >= window.startHour) continue;
    return zonedInstant(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      window.startHour,
      timeZone,
    );
  }
  return due;
}
