import { nextSendTime, type SendWindow } from './send-window';
import { sendWindowSchema } from './sequence-definition';

const weekdays9to17: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 };
const weeknights22to6: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 };
const everyDay = (startHour: number, endHour: number): SendWindow => ({
  days: [0, 1, 2, 3, 4, 5, 6],
  startHour,
  endHour,
});

const at = (due: string, window: SendWindow, zone: string) =>
  nextSendTime(new Date(due), window, zone).toISOString();

describe('nextSendTime with a same-day window', () => {
  it.each([
    ['sends at once inside the window', '2026-03-04T10:30:00Z', 'UTC', '2026-03-04T10:30:00.000Z'],
    ['waits for the opening on an open day', '2026-03-04T07:00:00Z', 'UTC', '2026-03-04T09:00:00.000Z'],
    ['moves Friday after closing to Monday', '2026-03-06T17:00:00Z', 'UTC', '2026-03-09T09:00:00.000Z'],
    ['moves Saturday to Monday', '2026-03-07T10:00:00Z', 'UTC', '2026-03-09T09:00:00.000Z'],
    [
      'reads hours in São Paulo (UTC−3): 08:00 local waits for 09:00 local',
      '2026-03-04T11:00:00Z',
      'America/Sao_Paulo',
      '2026-03-04T12:00:00.000Z',
    ],
    [
      'sends 10:00 São Paulo time at once',
      '2026-03-04T13:00:00Z',
      'America/Sao_Paulo',
      '2026-03-04T13:00:00.000Z',
    ],
    [
      'opens Monday 09:00 CEST after the weekend Berlin moved its clocks (29 Mar 2026)',
      '2026-03-28T20:00:00Z',
      'Europe/Berlin',
      '2026-03-30T07:00:00.000Z',
    ],
  ])('%s', (_name, due, zone, expected) => {
    expect(at(due, weekdays9to17, zone)).toBe(expected);
  });

  it('leaves the time alone without a window', () => {
    const due = new Date('2026-03-07T03:00:00Z');
    expect(nextSendTime(due, undefined, 'UTC')).toBe(due);
  });
});

describe('nextSendTime with an overnight window (22 → 6 on weeknights; a stretch belongs to the day it opens)', () => {
  it.each([
    ['defers Wednesday 14:00 to Wednesday 22:00', '2026-03-04T14:00:00Z', '2026-03-04T22:00:00.000Z'],
    ['sends Wednesday 23:30 at once', '2026-03-04T23:30:00Z', '2026-03-04T23:30:00.000Z'],
    ['sends Wednesday 02:00 at once (Tuesday’s stretch)', '2026-03-04T02:00:00Z', '2026-03-04T02:00:00.000Z'],
    ['closes at 06:00 sharp: 06:00 waits for 22:00', '2026-03-04T06:00:00Z', '2026-03-04T22:00:00.000Z'],
    ['sends Saturday 05:59 at once (Friday’s stretch)', '2026-03-07T05:59:00Z', '2026-03-07T05:59:00.000Z'],
    [
      'moves Saturday 06:00 over the weekend to Monday 22:00',
      '2026-03-07T06:00:00Z',
      '2026-03-09T22:00:00.000Z',
    ],
    [
      'moves Sunday 23:00 to Monday 22:00 (Sunday opens nothing)',
      '2026-03-08T23:00:00Z',
      '2026-03-09T22:00:00.000Z',
    ],
    [
      'moves Monday 02:00 to Monday 22:00 (no Sunday stretch)',
      '2026-03-09T02:00:00Z',
      '2026-03-09T22:00:00.000Z',
    ],
  ])('%s', (_name, due, expected) => {
    expect(at(due, weeknights22to6, 'UTC')).toBe(expected);
  });

  it.each([
    [
      'São Paulo: 14:00 local (17:00Z) waits for 22:00 local (01:00Z next day)',
      '2026-03-04T17:00:00Z',
      '2026-03-05T01:00:00.000Z',
    ],
    ['São Paulo: 02:00 local (05:00Z) goes at once', '2026-03-04T05:00:00Z', '2026-03-04T05:00:00.000Z'],
  ])('%s', (_name, due, expected) => {
    expect(at(due, weeknights22to6, 'America/Sao_Paulo')).toBe(expected);
  });
});

describe('nextSendTime at daylight-saving changes', () => {
  it.each([
    [
      'Berlin spring forward: a 02:00 opening that does not exist opens at 03:00 CEST, the first instant after the gap',
      '2026-03-28T23:00:00Z',
      'Europe/Berlin',
      everyDay(2, 5),
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Berlin spring forward: a 02:00–03:00 window the gap swallows opens the next day instead',
      '2026-03-28T23:00:00Z',
      'Europe/Berlin',
      everyDay(2, 3),
      '2026-03-30T00:00:00.000Z',
    ],
    [
      'Berlin fall back: an overnight stretch still holds 05:30 CET, after the repeated hour',
      '2026-10-25T04:30:00Z',
      'Europe/Berlin',
      everyDay(22, 6),
      '2026-10-25T04:30:00.000Z',
    ],
    [
      'Berlin fall back: 06:00 CET closes the stretch; the next opens at 22:00 CET',
      '2026-10-25T05:00:00Z',
      'Europe/Berlin',
      everyDay(22, 6),
      '2026-10-25T21:00:00.000Z',
    ],
    [
      'São Paulo 2018 spring forward at midnight: a 00:00 opening becomes 01:00 (UTC−2)',
      '2018-11-03T12:00:00Z',
      'America/Sao_Paulo',
      everyDay(0, 8),
      '2018-11-04T03:00:00.000Z',
    ],
    [
      'São Paulo 2019 fall back: an overnight 23 → 1 window opens at the first 23:00 (UTC−2)',
      '2019-02-16T12:00:00Z',
      'America/Sao_Paulo',
      everyDay(23, 1),
      '2019-02-17T01:00:00.000Z',
    ],
  ])('%s', (_name, due, zone, window, expected) => {
    expect(at(due, window, zone)).toBe(expected);
  });
});

describe('nextSendTime never stalls a step', () => {
  const windows: Array<[string, SendWindow]> = [
    ['weekdays 9–17', weekdays9to17],
    ['weeknights 22–6', weeknights22to6],
    ['every day 2–3 (swallowed by spring forward)', everyDay(2, 3)],
    ['every day 23–1', everyDay(23, 1)],
    ['Sundays 0–24', { days: [0], startHour: 0, endHour: 24 }],
  ];
  const zones = ['UTC', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Lord_Howe'];
  // Two weeks around Berlin's 2026 spring forward, every 40 minutes; São Paulo's 2018 change in a second sweep.
  const sweeps = [new Date('2026-03-18T00:10:00Z'), new Date('2018-10-25T00:10:00Z')];

  it.each(windows.flatMap(([name, window]) => zones.map((zone) => [name, zone, window] as const)))(
    '%s in %s: never earlier than due, within 9 days, and a deferred time is itself sendable',
    (_name, zone, window) => {
      for (const start of sweeps) {
        for (let i = 0; i < 14 * 36; i++) {
          const due = new Date(start.getTime() + i * 40 * 60_000);
          const sendAt = nextSendTime(due, window, zone);
          expect(sendAt.getTime()).toBeGreaterThanOrEqual(due.getTime());
          expect(sendAt.getTime() - due.getTime()).toBeLessThan(9 * 24 * 3_600_000);
          expect(nextSendTime(sendAt, window, zone).toISOString()).toBe(sendAt.toISOString());
        }
      }
    },
  );
});

describe('sendWindowSchema', () => {
  it('accepts an overnight window (start hour after end hour)', () => {
    expect(sendWindowSchema.parse({ days: [5], startHour: 22, endHour: 6 })).toEqual({
      days: [5],
      startHour: 22,
      endHour: 6,
    });
  });

  it('refuses equal start and end hours on the endHour field, saying how to write all day', () => {
    const result = sendWindowSchema.safeParse({ days: [1], startHour: 9, endHour: 9 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['endHour'], message: expect.stringContaining('0 to 24') }),
    ]);
  });
});
