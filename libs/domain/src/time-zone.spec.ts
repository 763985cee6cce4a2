import { assertValidTimeZone, InvalidTimeZone, isValidTimeZone } from './time-zone';

describe('isValidTimeZone', () => {
  it.each(['UTC', 'America/Sao_Paulo', 'Europe/Berlin', 'Asia/Kolkata', 'Etc/GMT+3'])(
    'accepts %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );

  it.each(['Mars/Olympus', '', ' UTC', 'Europe/Berlin ', 'GMT+25', 'not a zone'])('refuses %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('assertValidTimeZone', () => {
  it('returns a valid zone unchanged', () => {
    expect(assertValidTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('refuses an unknown zone with an error naming the value', () => {
    expect(() => assertValidTimeZone('Mars/Olympus')).toThrow(InvalidTimeZone);
    expect(() => assertValidTimeZone('Mars/Olympus')).toThrow(
      'time zone "Mars/Olympus" is not an IANA time zone',
    );
  });
});
