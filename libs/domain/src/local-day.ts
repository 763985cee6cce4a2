const formatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The calendar day (`YYYY-MM-DD`) `at` falls on in `timeZone`. A zone the runtime does not know counts as UTC
 * here: a daily cap must not stop deciding because an account row holds a bad zone.
 */
export function localDay(at: Date, timeZone: string): string {
  try {
    return dayFormatter(timeZone).format(at);
  } catch {
    return dayFormatter('UTC').format(at);
  }
}
