import { nextSendTime, type SendWindow } from './send-window';

const weekdays9to17: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 };

describe('nextSendTime', () => {
  it.each([
    ['inside the window', '2026-03-04T10:30:00Z', 'UTC', '2026-03-04T10:30:00.000Z'],
    ['before opening on an open day', '2026-03-04T07:00:00Z', 'UTC', '2026-03-04T09:00:00.000Z'],
    ['after closing on Friday → Monday', '2026-03-06T17:00:00Z', 'UTC', '2026-03-09T09:00:00.000Z'],
    ['on Saturday → Monday', '2026-03-07T10:00:00Z', 'UTC', '2026-03-09T09:00:00.000Z'],
    [
      'São Paulo (UTC−3): 11:00Z is 08:00 local → 09:00 local',
      '2026-03-04T11:00:00Z',
      'America/Sao_Paulo',
      '2026-03-04T12:00:00.000Z',
    ],
    [
      'São Paulo: 13:00Z is 10:00 local, inside',
      '2026-03-04T13:00:00Z',
      'America/Sao_Paulo',
      '2026-03-04T13:00:00.000Z',
    ],
    [
      'Berlin across the DST change (29 Mar 2026)',
      '2026-03-28T20:00:00Z',
      'Europe/Berlin',
      '2026-03-30T07:00:00.000Z',
    ],
  ])('%s', (_name, due, zone, expected) => {
    expect(nextSendTime(new Date(due), weekdays9to17, zone).toISOString()).toBe(expected);
  });

  it('leaves the time alone without a window', () => {
    const due = new Date('2026-03-07T03:00:00Z');
    expect(nextSendTime(due, undefined, 'UTC')).toBe(due);
  });
});
