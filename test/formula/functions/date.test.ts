import moment from 'moment';
import { describe, expect, it } from 'vitest';
import { caller, makeEnv, NOW } from './helpers.ts';

// These expectations assume TZ=UTC, as the suite runs (ION formats in the server's zone).
const fn = caller();
const at = (iso: string): Date => new Date(iso);
const DAY = 24 * 3600 * 1000;

describe('now', () => {
  it("is the env's clock, as a fresh Date", () => {
    const a = fn('now') as Date;
    expect(a).toEqual(NOW);
    a.setFullYear(1999);
    expect(fn('now')).toEqual(NOW);
  });
});

describe('date(s, fmt?, locale?)', () => {
  it('parses ISO text without a format', () => {
    expect(fn('date', '2020-03-01')).toEqual(at('2020-03-01T00:00:00Z'));
    expect(fn('date', '2020-03-01T10:30:00Z')).toEqual(at('2020-03-01T10:30:00Z'));
  });

  it('parses with a moment.js format and locale', () => {
    expect(fn('date', '01.03.2020', 'DD.MM.YYYY')).toEqual(at('2020-03-01T00:00:00Z'));
    expect(fn('date', '1 марта 2020', 'D MMMM YYYY', 'ru')).toEqual(at('2020-03-01T00:00:00Z'));
  });

  it('gives null for falsy or invalid input', () => {
    expect(fn('date', '')).toBeNull();
    expect(fn('date', null)).toBeNull();
    expect(fn('date', 'nonsense', 'DD.MM.YYYY')).toBeNull();
  });

  it('accepts a Date or epoch milliseconds', () => {
    expect(fn('date', at('2021-05-05T00:00:00Z'))).toEqual(at('2021-05-05T00:00:00Z'));
    expect(fn('date', 86400000)).toEqual(at('1970-01-02T00:00:00Z'));
  });
});

describe('dateAdd(d, n=0, unit=d)', () => {
  const start = at('2023-07-10T06:00:00.000Z');

  it('adds days by default', () => {
    expect(fn('dateAdd', start, 7)).toEqual(at('2023-07-17T06:00:00.000Z')); // conformance SA-refresh-x1
    expect(fn('dateAdd', start, -10)).toEqual(at('2023-06-30T06:00:00.000Z'));
  });

  it('takes a moment.js unit and a numeric text amount', () => {
    expect(fn('dateAdd', start, 2, 'M')).toEqual(at('2023-09-10T06:00:00.000Z'));
    expect(fn('dateAdd', start, '3', 'h')).toEqual(at('2023-07-10T09:00:00.000Z'));
    expect(fn('dateAdd', at('2024-01-31T00:00:00Z'), 1, 'months')).toEqual(at('2024-02-29T00:00:00Z'));
  });

  it('uses 0 for a non-numeric amount', () => {
    expect(fn('dateAdd', start, 'x')).toEqual(start);
    expect(fn('dateAdd', start)).toEqual(start);
  });

  it('no arguments → now; an absent date → now; a null date → Invalid Date', () => {
    expect(fn('dateAdd')).toEqual(NOW);
    expect(fn('dateAdd', undefined, 1)).toEqual(new Date(NOW.getTime() + DAY));
    const invalid = fn('dateAdd', null, 1) as Date;
    expect(invalid).toBeInstanceOf(Date);
    expect(Number.isNaN(invalid.getTime())).toBe(true);
  });

  it('returns a new Date (the argument is not changed)', () => {
    const d = at('2020-01-01T00:00:00Z');
    fn('dateAdd', d, 1);
    expect(d).toEqual(at('2020-01-01T00:00:00Z'));
  });
});

describe('dateDiff(unit=days, d1=now, d2=now)', () => {
  it('counts whole units of d1 - d2', () => {
    expect(fn('dateDiff', 'years', at('2025-02-28T00:00:00Z'), at('2024-02-29T00:00:00Z'))).toBe(1); // SA-dateDiff-x2
    expect(fn('dateDiff', 'w', at('2023-09-01T18:30:00Z'), at('2023-07-10T06:00:00Z'))).toBe(7); // SA-dateDiff-x1
    expect(fn('dateDiff', 'days', at('2020-01-11T00:00:00Z'), at('2020-01-01T00:00:00Z'))).toBe(10);
    expect(fn('dateDiff', 'months', at('2020-01-01T00:00:00Z'), at('2020-03-15T00:00:00Z'))).toBe(-2);
  });

  it('truncates toward zero', () => {
    expect(fn('dateDiff', 'days', new Date(NOW.getTime() + 1.5 * DAY))).toBe(1);
    expect(fn('dateDiff', 'days', new Date(NOW.getTime() - 1.5 * DAY))).toBe(-1);
  });

  it('an unknown unit counts milliseconds [verified]', () => {
    expect(fn('dateDiff', 'min', at('2020-01-01T00:01:00Z'), at('2020-01-01T00:00:00Z'))).toBe(60000);
    expect(fn('dateDiff', null, at('2020-01-01T00:00:01Z'), at('2020-01-01T00:00:00Z'))).toBe(1000);
  });

  it('a null date gives NaN [verified]', () => {
    expect(fn('dateDiff', 'days', null, at('2020-01-01T00:00:00Z'))).toBeNaN();
    expect(fn('dateDiff', 'days', at('2020-01-01T00:00:00Z'), null)).toBeNaN();
  });

  it('defaults: days, both dates now', () => {
    expect(fn('dateDiff')).toBe(0);
    expect(fn('dateDiff', 'hours', at('2024-03-16T12:00:00Z'))).toBe(24);
  });
});

describe('dateFormat / format', () => {
  const d = at('2023-07-10T06:00:00.000Z');

  it('formats with a moment.js format', () => {
    expect(fn('dateFormat', d, 'YYYYMMDD')).toBe('20230710'); // conformance SA-cloud-x1
    expect(fn('format', d, 'DD.MM.YYYY HH:mm')).toBe('10.07.2023 06:00');
  });

  it("defaults to 'L' in the env's locale (ION: moment's global en)", () => {
    expect(fn('dateFormat', d)).toBe('07/10/2023');
    expect(caller(makeEnv({ locale: 'ru' }))('dateFormat', d)).toBe('10.07.2023');
  });

  it('takes a locale per call', () => {
    expect(fn('dateFormat', d, 'L', 'ru')).toBe('10.07.2023');
    expect(fn('dateFormat', d, 'D MMMM YYYY', 'ru')).toBe('10 июля 2023');
    expect(fn('dateFormat', d, null, 'ru')).toBe('10.07.2023');
  });

  it('gives empty text for a falsy date', () => {
    expect(fn('dateFormat', null)).toBe('');
    expect(fn('dateFormat', '', 'L')).toBe('');
    expect(fn('format', 0)).toBe('');
  });

  it("never changes moment's global locale", () => {
    fn('dateFormat', d, 'L', 'ru');
    expect(moment.locale()).toBe('en');
    expect(moment(d).format('L')).toBe('07/10/2023');
  });
});
