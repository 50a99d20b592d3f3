/**
 * Cardinal numbers in words for `number2words`, in Russian (the default) and English.
 *
 * ION's `number2words` never worked (it calls an undefined `numbers2words`), so there is no
 * upstream value to match; this is our own definition:
 * - integers in words, negative numbers with "минус"/"minus", zero as "ноль"/"zero";
 * - a fraction is dropped (the number is truncated toward zero: 12.9 → twelve, -0.5 → zero);
 * - numeric strings are accepted (`'1 234,5'` style separators are not: only what `Number()`
 *   reads, with a decimal comma allowed); anything else that is not a finite number → '';
 * - magnitudes of 10^21 and more are returned as digits.
 */

/** Largest magnitude spelled out (exclusive): scales go up to quintillion. */
const LIMIT = 10n ** 21n;

interface Language {
  readonly zero: string;
  readonly minus: string;
  /** Words for 0 < n < 1000, `feminine` for Russian thousands (одна, две). */
  readonly triad: (n: number, feminine: boolean) => string;
  /** Scale word for a group `n` (1..999) at scale index `scale` (1 = thousands). */
  readonly scale: (n: number, scale: number) => string;
}

const RU_ONES = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const RU_ONES_FEMININE = ['', 'одна', 'две', ...RU_ONES.slice(3)];
const RU_TEENS = [
  'десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать',
  'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать',
];
const RU_TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const RU_HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
/** [one, few (2-4), many] forms per scale. */
const RU_SCALES: readonly (readonly [string, string, string])[] = [
  ['', '', ''],
  ['тысяча', 'тысячи', 'тысяч'],
  ['миллион', 'миллиона', 'миллионов'],
  ['миллиард', 'миллиарда', 'миллиардов'],
  ['триллион', 'триллиона', 'триллионов'],
  ['квадриллион', 'квадриллиона', 'квадриллионов'],
  ['квинтиллион', 'квинтиллиона', 'квинтиллионов'],
];

/** Russian plural form index: 1, 21 → 0; 2-4, 22-24 → 1; 5-20, 25-30, 11-14 → 2. */
function russianForm(n: number): 0 | 1 | 2 {
  const lastTwo = n % 100;
  const last = n % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return 2;
  if (last === 1) return 0;
  if (last >= 2 && last <= 4) return 1;
  return 2;
}

const russian: Language = {
  zero: 'ноль',
  minus: 'минус',
  triad(n, feminine) {
    const ones = feminine ? RU_ONES_FEMININE : RU_ONES;
    const words = [RU_HUNDREDS[Math.floor(n / 100)]];
    const rest = n % 100;
    if (rest >= 10 && rest < 20) words.push(RU_TEENS[rest - 10]);
    else words.push(RU_TENS[Math.floor(rest / 10)], ones[rest % 10]);
    return words.filter(Boolean).join(' ');
  },
  scale: (n, scale) => (RU_SCALES[scale] as readonly [string, string, string])[russianForm(n)],
};

const EN_ONES = [
  '', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion'];

const english: Language = {
  zero: 'zero',
  minus: 'minus',
  triad(n) {
    const words: string[] = [];
    if (n >= 100) words.push(`${EN_ONES[Math.floor(n / 100)]} hundred`);
    const rest = n % 100;
    if (rest >= 20) words.push(EN_TENS[Math.floor(rest / 10)] + (rest % 10 ? `-${EN_ONES[rest % 10]}` : ''));
    else if (rest > 0) words.push(EN_ONES[rest] as string);
    return words.join(' ');
  },
  scale: (_n, scale) => EN_SCALES[scale] as string,
};

/** Reads the argument as a number; null when it is not a finite number. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Picks the language from a locale such as `ru`, `en`, `en-US`; unknown → Russian with a note. */
function languageOf(locale: unknown, warn: (message: string) => void): Language {
  if (locale === undefined || locale === null || locale === '') return russian;
  const tag = String(locale).toLowerCase();
  if (tag === 'en' || tag.startsWith('en-') || tag.startsWith('en_')) return english;
  if (tag === 'ru' || tag.startsWith('ru-') || tag.startsWith('ru_')) return russian;
  warn(`number2words: locale "${tag}" is not supported, using ru`);
  return russian;
}

/** Spells out a non-negative integer below `LIMIT`. */
function spell(n: bigint, language: Language): string {
  if (n === 0n) return language.zero;
  const words: string[] = [];
  for (let scale = 0; n > 0n; scale++, n /= 1000n) {
    const group = Number(n % 1000n);
    if (group === 0) continue;
    const part = [language.triad(group, scale === 1), language.scale(group, scale)].filter(Boolean).join(' ');
    words.unshift(part);
  }
  return words.join(' ');
}

/**
 * `number2words(n, locale)`: the integer part of `n` in words (`ru` default, `en`).
 * @example numberToWords(1021, 'ru') // 'одна тысяча двадцать один'
 * @example numberToWords(-45, 'en') // 'minus forty-five'
 */
export function numberToWords(value: unknown, locale: unknown, warn: (message: string) => void = () => {}): string {
  const n = toNumber(value);
  if (n === null) return '';
  const language = languageOf(locale, warn);
  const integer = BigInt(Math.trunc(n));
  const magnitude = integer < 0n ? -integer : integer;
  if (magnitude >= LIMIT) return integer.toString();
  const words = spell(magnitude, language);
  return integer < 0n ? `${language.minus} ${words}` : words;
}
