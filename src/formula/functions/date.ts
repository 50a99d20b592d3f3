/**
 * Dates: `now date dateAdd dateDiff dateFormat format` (ion-spec §1.7), with moment.js as ION
 * uses it. Dates are read and formatted in the process's local time zone (ION's behaviour; the
 * tests run with TZ=UTC). The clock is `env.now`, so "now" defaults are reproducible.
 *
 * Locales are chosen per call (`moment(d).locale(x)`); moment's global locale is never changed.
 */
import { createRequire } from 'node:module';
import moment from 'moment';
import type { EvalEnv } from '../runtime.ts';
import { looseIsNaN, textOf } from './coerce.ts';
import type { FunctionImpl } from './spec.ts';

// Loading a moment locale file also makes it the global locale (moment's defineLocale does
// that), so load `ru` here and put the global locale back.
{
  const globalLocale = moment.locale();
  createRequire(import.meta.url)('moment/locale/ru.js');
  moment.locale(globalLocale);
}

/** The evaluation's current time, as a fresh Date (callers may mutate what they get). */
function clock(env: EvalEnv): Date {
  return new Date(env.now().getTime());
}

/** `moment(v)` where an absent value means now, by the evaluation's clock (not the system's). */
function momentOf(env: EvalEnv, value: unknown): moment.Moment {
  return moment(value === undefined ? env.now() : (value as moment.MomentInput));
}

/** `date(s, fmt?, locale?)`: `moment(s, fmt, locale)` as a Date; falsy or invalid → null. */
const date: FunctionImpl = (_env, args) => {
  const [text, format, locale] = args;
  if (!text) return null;
  const parsed = moment(
    text as moment.MomentInput,
    format as moment.MomentFormatSpecification | undefined,
    locale as string | undefined,
  );
  return parsed.isValid() ? parsed.toDate() : null;
};

/** `dateAdd(d, n=0, unit='d')`: no arguments → now; a null date → Invalid Date. */
const dateAdd: FunctionImpl = (env, args) => {
  if (args.length === 0) return clock(env);
  const amount = args.length > 1 && !looseIsNaN(args[1]) ? args[1] : 0;
  const unit = args.length > 2 ? textOf(env.graph, args[2]) : 'd';
  return momentOf(env, args[0])
    .add(amount as moment.DurationInputArg1, unit as moment.unitOfTime.DurationConstructor)
    .toDate();
};

/**
 * `dateDiff(unit='days', d1=now, d2=now)`: `moment(d1).diff(moment(d2), unit)`, whole units
 * truncated toward zero; an unknown unit (e.g. `min`) counts milliseconds; a null date → NaN.
 */
const dateDiff: FunctionImpl = (env, args) => {
  const unit = args.length > 0 ? textOf(env.graph, args[0]) : 'days';
  const later = args.length > 1 ? momentOf(env, args[1]) : moment(env.now());
  const earlier = args.length > 2 ? momentOf(env, args[2]) : moment(env.now());
  return later.diff(earlier, unit as moment.unitOfTime.Diff);
};

/** `dateFormat(d, fmt='L', locale=env.locale)`: falsy `d` → ''. */
const dateFormat: FunctionImpl = (env, args) => {
  const [value, format, locale] = args;
  if (!value) return '';
  const d = moment(value as moment.MomentInput).locale(locale ? textOf(env.graph, locale) : env.locale);
  return d.format(format ? textOf(env.graph, format) : 'L');
};

/** Date functions by name. */
export const dateFunctions: Readonly<Record<string, FunctionImpl>> = {
  /** `now()`: the evaluation's clock. */
  now: (env) => clock(env),
  date,
  dateAdd,
  dateDiff,
  dateFormat,
  /** Alias of `dateFormat`. */
  format: dateFormat,
};
