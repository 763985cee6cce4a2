import { isValidTimeZone } from './time-zone';

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
