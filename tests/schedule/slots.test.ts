import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  evaluateSchedule,
  isSameLocalDay,
  localDayStart,
  nextLocalDayStart,
  slotsOfDay,
  type ScheduleInput,
} from '../../src/services/schedule/slots.js';

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const HOUR = 3_600_000;

function input(over: Partial<ScheduleInput>): ScheduleInput {
  return {
    frequency: 4,
    maxPerDay: null,
    createdPerDay: 0,
    lastRunAt: null,
    timeZone: 'UTC',
    now: at('2024-06-01T12:00:00Z'),
    ...over,
  };
}

describe('local days', () => {
  it.each([
    { zone: 'UTC', now: '2024-06-01T12:00:00Z', start: '2024-06-01T00:00:00.000Z', hours: 24 },
    { zone: 'Asia/Kolkata', now: '2024-01-01T00:00:00Z', start: '2023-12-31T18:30:00.000Z', hours: 24 },
    { zone: 'America/New_York', now: '2024-03-10T12:00:00Z', start: '2024-03-10T05:00:00.000Z', hours: 23 },
    { zone: 'America/New_York', now: '2024-11-03T12:00:00Z', start: '2024-11-03T04:00:00.000Z', hours: 25 },
    { zone: 'Europe/London', now: '2024-03-31T12:00:00Z', start: '2024-03-31T00:00:00.000Z', hours: 23 },
    { zone: 'Europe/London', now: '2024-10-27T12:00:00Z', start: '2024-10-26T23:00:00.000Z', hours: 25 },
    // Santiago skipped its midnight on 2022-09-11: the day starts at 01:00 -03.
    { zone: 'America/Santiago', now: '2022-09-11T12:00:00Z', start: '2022-09-11T04:00:00.000Z', hours: 23 },
  ])('$zone: the day of $now starts at $start and lasts $hours h', ({ zone, now, start, hours }) => {
    const dayStart = localDayStart(at(now), zone);
    expect(dayStart.toISOString()).toBe(start);
    expect((nextLocalDayStart(at(now), zone).getTime() - dayStart.getTime()) / HOUR).toBe(hours);
  });

  it('compares instants by the local calendar day, not the UTC one', () => {
    // 23:30 and 00:30 in New York are the same UTC day but two local days.
    expect(isSameLocalDay(at('2024-06-01T03:30:00Z'), at('2024-06-01T04:30:00Z'), 'America/New_York')).toBe(false);
    expect(isSameLocalDay(at('2024-06-01T04:30:00Z'), at('2024-06-02T03:30:00Z'), 'America/New_York')).toBe(true);
    expect(isSameLocalDay(at('2024-06-01T23:30:00Z'), at('2024-06-02T00:30:00Z'), 'UTC')).toBe(false);
  });

  it('refuses a time zone that is not an IANA name, naming the setting', () => {
    expect(() => localDayStart(at('2024-06-01T00:00:00Z'), 'Mars/Olympus')).toThrow(UsageError);
  });
});

describe('slots of a day', () => {
  it.each([
    {
      name: 'UTC, 4 a day: every 6 h from midnight',
      zone: 'UTC', day: '2024-06-01T12:00:00Z', f: 4,
      slots: ['2024-06-01T00:00:00.000Z', '2024-06-01T06:00:00.000Z', '2024-06-01T12:00:00.000Z', '2024-06-01T18:00:00.000Z'],
    },
    {
      name: 'New York spring-forward (23 h): spread over the real day, 5 h 45 min apart',
      zone: 'America/New_York', day: '2024-03-10T12:00:00Z', f: 4,
      // 00:00 EST, 06:45 EDT, 12:30 EDT, 18:15 EDT
      slots: ['2024-03-10T05:00:00.000Z', '2024-03-10T10:45:00.000Z', '2024-03-10T16:30:00.000Z', '2024-03-10T22:15:00.000Z'],
    },
    {
      name: 'New York fall-back (25 h): 6 h 15 min apart',
      zone: 'America/New_York', day: '2024-11-03T12:00:00Z', f: 4,
      // 00:00 EDT, 05:15 EST, 11:30 EST, 17:45 EST
      slots: ['2024-11-03T04:00:00.000Z', '2024-11-03T10:15:00.000Z', '2024-11-03T16:30:00.000Z', '2024-11-03T22:45:00.000Z'],
    },
    {
      name: 'London spring-forward (23 h), twice a day',
      zone: 'Europe/London', day: '2024-03-31T12:00:00Z', f: 2,
      slots: ['2024-03-31T00:00:00.000Z', '2024-03-31T11:30:00.000Z'],
    },
    {
      name: 'London fall-back (25 h), twice a day',
      zone: 'Europe/London', day: '2024-10-27T12:00:00Z', f: 2,
      slots: ['2024-10-26T23:00:00.000Z', '2024-10-27T11:30:00.000Z'],
    },
    {
      name: 'once a day: local midnight',
      zone: 'Asia/Tokyo', day: '2024-06-01T12:00:00Z', f: 1,
      slots: ['2024-05-31T15:00:00.000Z'],
    },
  ])('$name', ({ zone, day, f, slots }) => {
    expect(iso(slotsOfDay(at(day), f, zone))).toEqual(slots);
  });

  it('on a spring-forward day, 24 slots are 24 distinct instants, none in the skipped hour', () => {
    const slots = slotsOfDay(at('2024-03-10T12:00:00Z'), 24, 'America/New_York');
    expect(new Set(slots.map((s) => s.getTime())).size).toBe(24);
    expect(slots.every((s, i) => i === 0 || s.getTime() - slots[i - 1]!.getTime() === 57.5 * 60_000)).toBe(true);
  });
});

describe('evaluateSchedule', () => {
  it.each<{ name: string; over: Partial<ScheduleInput>; due: boolean; reason: string; createdToday: number; passed: number; next: string | null }>([
    {
      name: 'first run of the day at midnight: slot 0 is open',
      over: { now: at('2024-06-01T00:00:00Z') },
      due: true, reason: 'slot-open', createdToday: 0, passed: 1, next: '2024-06-01T00:00:00.000Z',
    },
    {
      name: 'one group made, second slot not yet reached: next due at 06:00',
      over: { now: at('2024-06-01T05:59:59Z'), createdPerDay: 1, lastRunAt: at('2024-06-01T00:00:00Z') },
      due: false, reason: 'waiting-for-slot', createdToday: 1, passed: 1, next: '2024-06-01T06:00:00.000Z',
    },
    {
      name: 'the second slot opens exactly at 06:00',
      over: { now: at('2024-06-01T06:00:00Z'), createdPerDay: 1, lastRunAt: at('2024-06-01T00:00:00Z') },
      due: true, reason: 'slot-open', createdToday: 1, passed: 2, next: '2024-06-01T06:00:00.000Z',
    },
    {
      name: "yesterday's count does not count today",
      over: { now: at('2024-06-01T00:10:00Z'), createdPerDay: 4, lastRunAt: at('2024-05-31T18:00:00Z') },
      due: true, reason: 'slot-open', createdToday: 0, passed: 1, next: '2024-06-01T00:10:00.000Z',
    },
    {
      name: 'the count resets on the local day, not the UTC one (New York, 01:00 EDT after a 23:00 run)',
      over: {
        timeZone: 'America/New_York', now: at('2024-06-01T05:00:00Z'),
        createdPerDay: 4, lastRunAt: at('2024-06-01T03:00:00Z'),
      },
      due: true, reason: 'slot-open', createdToday: 0, passed: 1, next: '2024-06-01T05:00:00.000Z',
    },
    {
      name: 'a counter without a last run is not today’s',
      over: { createdPerDay: 3, lastRunAt: null, now: at('2024-06-01T01:00:00Z') },
      due: true, reason: 'slot-open', createdToday: 0, passed: 1, next: '2024-06-01T01:00:00.000Z',
    },
    {
      name: 'all of the day’s slots used: next due at the next local midnight',
      over: { now: at('2024-06-01T20:00:00Z'), createdPerDay: 4, lastRunAt: at('2024-06-01T18:00:00Z') },
      due: false, reason: 'waiting-for-slot', createdToday: 4, passed: 4, next: '2024-06-02T00:00:00.000Z',
    },
    {
      name: 'manual renders used up slots ahead of time: wait for the slot after them',
      over: { now: at('2024-06-01T07:00:00Z'), createdPerDay: 3, lastRunAt: at('2024-06-01T06:30:00Z') },
      due: false, reason: 'waiting-for-slot', createdToday: 3, passed: 2, next: '2024-06-01T18:00:00.000Z',
    },
    {
      name: 'max_per_day reached by manual renders: not due until tomorrow',
      over: { now: at('2024-06-01T13:00:00Z'), maxPerDay: 5, createdPerDay: 5, lastRunAt: at('2024-06-01T12:30:00Z') },
      due: false, reason: 'day-cap-reached', createdToday: 5, passed: 3, next: '2024-06-02T00:00:00.000Z',
    },
    {
      name: 'catching up: several slots open, but the last group is only 5 min old',
      over: { now: at('2024-06-01T19:05:00Z'), createdPerDay: 1, lastRunAt: at('2024-06-01T19:00:00Z') },
      due: false, reason: 'catching-up', createdToday: 1, passed: 4, next: '2024-06-01T19:10:00.000Z',
    },
    {
      name: 'a slot that opens right after a late catch-up group waits out the pace',
      over: { now: at('2024-06-01T18:00:00Z'), createdPerDay: 3, lastRunAt: at('2024-06-01T17:58:00Z') },
      due: false, reason: 'catching-up', createdToday: 3, passed: 4, next: '2024-06-01T18:08:00.000Z',
    },
    {
      name: 'no frequency: never due, no next time',
      over: { frequency: null },
      due: false, reason: 'no-frequency', createdToday: 0, passed: 0, next: null,
    },
    {
      name: 'New York spring-forward: the second slot is at 06:45 EDT, not 06:00',
      over: {
        timeZone: 'America/New_York', now: at('2024-03-10T10:30:00Z'),
        createdPerDay: 1, lastRunAt: at('2024-03-10T05:00:00Z'),
      },
      due: false, reason: 'waiting-for-slot', createdToday: 1, passed: 1, next: '2024-03-10T10:45:00.000Z',
    },
    {
      name: 'London fall-back: the next day starts 25 h after this one',
      over: {
        timeZone: 'Europe/London', frequency: 1, now: at('2024-10-27T12:00:00Z'),
        createdPerDay: 1, lastRunAt: at('2024-10-26T23:00:00Z'),
      },
      due: false, reason: 'waiting-for-slot', createdToday: 1, passed: 1, next: '2024-10-28T00:00:00.000Z',
    },
  ])('$name', ({ over, due, reason, createdToday, passed, next }) => {
    const state = evaluateSchedule(input(over));
    expect(state).toEqual({
      due,
      reason,
      createdToday,
      slotsPassedToday: passed,
      nextDueAt: next === null ? null : at(next),
    });
  });

  it('refuses a frequency that is not a positive whole number', () => {
    expect(() => evaluateSchedule(input({ frequency: 0 }))).toThrow(UsageError);
    expect(() => evaluateSchedule(input({ maxPerDay: 1.5 }))).toThrow(UsageError);
  });

  it.each([
    { every: 15, made: ['19:00', '19:15', '19:30', '19:45'] },
    { every: 5, made: ['19:00', '19:10', '19:20', '19:30'] },
    { every: 1, made: ['19:00', '19:10', '19:20', '19:30'] },
  ])('a machine that slept through four slots, then runs every $every min, catches up one group at a time', ({ every, made }) => {
    let createdPerDay = 2;
    let lastRunAt: Date | null = at('2024-05-31T18:00:00Z');
    const times: string[] = [];
    for (let t = at('2024-06-01T19:00:00Z').getTime(); t <= at('2024-06-01T21:00:00Z').getTime(); t += every * 60_000) {
      const now = new Date(t);
      const state = evaluateSchedule(input({ now, createdPerDay, lastRunAt }));
      if (!state.due) continue;
      createdPerDay = state.createdToday + 1;
      lastRunAt = now;
      times.push(now.toISOString().slice(11, 16));
    }
    expect(times).toEqual(made);
  });

  it('two machines running a minute apart with every slot open make one group between them', () => {
    const first = evaluateSchedule(input({ now: at('2024-06-01T19:00:00Z') }));
    expect(first.due).toBe(true);
    const second = evaluateSchedule(input({ now: at('2024-06-01T19:01:00Z'), createdPerDay: 1, lastRunAt: at('2024-06-01T19:00:00Z') }));
    expect(second).toMatchObject({ due: false, reason: 'catching-up' });
  });
});

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago'];
const zoneArb = fc.constantFrom(...ZONES);
const instant = fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z'), noInvalidDate: true });

describe('properties', () => {
  it('every instant lies in its local day, which lasts 23 to 25 hours', () => {
    fc.assert(
      fc.property(instant, zoneArb, (now, zone) => {
        const start = localDayStart(now, zone).getTime();
        const end = nextLocalDayStart(now, zone).getTime();
        expect(start).toBeLessThanOrEqual(now.getTime());
        expect(end).toBeGreaterThan(now.getTime());
        expect(end - start).toBeGreaterThanOrEqual(23 * HOUR);
        expect(end - start).toBeLessThanOrEqual(25 * HOUR);
        expect(isSameLocalDay(new Date(start), now, zone)).toBe(true);
        expect(isSameLocalDay(new Date(end), now, zone)).toBe(false);
      }),
    );
  });

  it('runs every 15 min make exactly F groups each full local day, never ahead of the slots; nextDueAt is the exact instant it becomes due', () => {
    // Starts near the 2024 DST changes of New York and London so the runs cross them.
    const start = fc.constantFrom('2024-03-08T00:00:00Z', '2024-03-29T00:00:00Z', '2024-10-25T00:00:00Z', '2024-11-01T00:00:00Z');
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 95 }), zoneArb, fc.integer({ min: 1, max: 24 }), (from, offset, zone, f) => {
        const first = at(from).getTime() + offset * 15 * 60_000;
        const perDay = new Map<number, number>();
        let createdPerDay = 0;
        let lastRunAt: Date | null = null;
        let waitChecked = false;
        for (let t = first; t < first + 4 * 24 * HOUR; t += 15 * 60_000) {
          const now = new Date(t);
          const state = evaluateSchedule({ frequency: f, maxPerDay: null, createdPerDay, lastRunAt, timeZone: zone, now });
          expect(state.createdToday).toBeLessThanOrEqual(state.slotsPassedToday);
          if (!state.due) {
            const next = state.nextDueAt!.getTime();
            expect(next).toBeGreaterThan(t);
            if (!waitChecked) {
              const at = (ms: number) =>
                evaluateSchedule({ frequency: f, maxPerDay: null, createdPerDay, lastRunAt, timeZone: zone, now: new Date(ms) });
              expect(at(next).due).toBe(true);
              expect(at(next - 1).due).toBe(false);
              waitChecked = true;
            }
            continue;
          }
          waitChecked = false;
          createdPerDay = state.createdToday + 1;
          lastRunAt = now;
          const day = localDayStart(now, zone).getTime();
          perDay.set(day, (perDay.get(day) ?? 0) + 1);
        }
        const days = [...perDay.keys()].sort((a, b) => a - b);
        for (const day of days.slice(1, -1)) expect(perDay.get(day)).toBe(f);
        for (const count of perDay.values()) expect(count).toBeLessThanOrEqual(f);
      }),
      { numRuns: 30 },
    );
  });

  it('after a sleep gap a day still never gets more than F groups', () => {
    fc.assert(
      fc.property(
        zoneArb,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 * 96 }),
        fc.integer({ min: 1, max: 96 }),
        (zone, f, gapStart, gapLength) => {
          const first = at('2024-03-30T00:00:00Z').getTime();
          const perDay = new Map<number, number>();
          let createdPerDay = 0;
          let lastRunAt: Date | null = null;
          for (let i = 0; i < 3 * 96; i++) {
            if (i >= gapStart && i < gapStart + gapLength) continue;
            const now = new Date(first + i * 15 * 60_000);
            const state = evaluateSchedule({ frequency: f, maxPerDay: null, createdPerDay, lastRunAt, timeZone: zone, now });
            if (!state.due) continue;
            createdPerDay = state.createdToday + 1;
            lastRunAt = now;
            const day = localDayStart(now, zone).getTime();
            perDay.set(day, (perDay.get(day) ?? 0) + 1);
          }
          for (const count of perDay.values()) expect(count).toBeLessThanOrEqual(f);
        },
      ),
      { numRuns: 30 },
    );
  });
});
