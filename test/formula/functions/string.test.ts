import { describe, expect, it } from 'vitest';
import { numberToWords } from '../../../src/formula/functions/number-words.ts';
import { FormulaRuntimeError } from '../../../src/formula/runtime.ts';
import { caller, makeEnv } from './helpers.ts';

const fn = caller();
const kant = { id: 'k1', __semantic: 'Kant' };
const noSemantic = { id: 'k2' };

describe('concat', () => {
  it('null, undefined and false are empty; other values as String(v)', () => {
    expect(fn('concat')).toBe('');
    expect(fn('concat', 'a', null, undefined, false, 'b')).toBe('ab');
    expect(fn('concat', true, 0, 1.5)).toBe('true01.5');
    expect(fn('concat', '', 'x')).toBe('x');
  });

  it('shows an object as its semantic, or its id when it has none', () => {
    expect(fn('concat', kant, '!')).toBe('Kant!');
    expect(fn('concat', noSemantic)).toBe('k2');
  });

  it('joins arrays with commas, objects inside as semantics, nulls empty', () => {
    expect(fn('concat', [1, 2, 3])).toBe('1,2,3');
    expect(fn('concat', [kant, noSemantic])).toBe('Kant,k2');
    expect(fn('concat', [null, 'a', undefined, false])).toBe(',a,,false');
    expect(fn('concat', [[1, 2], [3]])).toBe('1,2,3');
  });

  it('shows a date as Date.prototype.toString', () => {
    const d = new Date('2023-07-10T06:00:00.000Z');
    expect(fn('concat', d)).toBe(d.toString());
    expect(fn('concat', d)).toMatch(/^Mon Jul 10 2023 06:00:00 GMT/);
  });

  it('real shapes: telecom-ru manager.fioPosTel and address.adressFormula', () => {
    expect(fn('concat', 'Лебедев', ': ', 'Павел', fn('concat', ' (', 'Ильич', ')'))).toBe('Лебедев: Павел (Ильич)');
    expect(fn('concat', 'Бикин', ', ', '', ', ', 3, ', ', 7)).toBe('Бикин, , 3, 7');
  });
});

describe('substr (legacy JS substr)', () => {
  it('takes start and length', () => {
    expect(fn('substr', 'PRJ-2023-0815', 9)).toBe('0815'); // conformance SA-proposal-x1
    expect(fn('substr', 'PRJ-2023-0815', 1, 5)).toBe('RJ-20'); // conformance SA-guid-x1
    expect(fn('substr', 'abcdef', '2', '2')).toBe('cd');
  });

  it('counts a negative start from the end', () => {
    expect(fn('substr', 'abcdef', -2)).toBe('ef');
    expect(fn('substr', 'abcdef', -3, 2)).toBe('de');
  });

  it('uses the defaults for non-numeric start or length', () => {
    expect(fn('substr', 'abcdef', 'x')).toBe('abcdef');
    expect(fn('substr', 'abcdef', 1, 'x')).toBe('bcdef');
    expect(fn('substr', 'abcdef', 1, null)).toBe(''); // null is numeric: length 0
  });

  it('makes falsy values empty text and objects their semantic', () => {
    expect(fn('substr', null, 0, 3)).toBe('');
    expect(fn('substr', 0)).toBe('');
    expect(fn('substr', 12345, 1, 2)).toBe('23');
    expect(fn('substr', kant, 1)).toBe('ant');
  });
});

describe('pad', () => {
  it('left-pads with 0 by default', () => {
    expect(fn('pad', 3, 3)).toBe('003'); // conformance SA-pad-x1
    expect(fn('pad', null, 2)).toBe('00');
    expect(fn('pad', 0, 3)).toBe('000'); // 0 || '' is ''
    expect(fn('pad', 'abc', 2)).toBe('abc');
    expect(fn('pad', '1', 'x')).toBe('1');
  });

  it('repeats a multi-character fill once per missing character, as ION does', () => {
    expect(fn('pad', '5', 4, 'ab')).toBe('ababab5');
    expect(fn('pad', 'x', 3, null)).toBe('nullnullx');
    expect(fn('pad', 'x', 3, '')).toBe('x');
  });

  it("pads on the right with 'r' (ION ignores the direction: a deliberate fix)", () => {
    expect(fn('pad', 'Omega', 8, '.', 'r')).toBe('Omega...');
    expect(fn('pad', 'Omega', 8, '.', 'l')).toBe('...Omega');
    expect(fn('pad', 'Omega', 8, '.')).toBe('...Omega');
    expect(fn('pad', 'Omega', 8, '.', 'x')).toBe('...Omega');
  });

  it('refuses to build huge texts', () => {
    expect(() => fn('pad', 'x', 1e9)).toThrow(FormulaRuntimeError);
  });
});

describe('upper / lower', () => {
  it('upper-cases String(v) [verified]', () => {
    expect(fn('upper', null)).toBe('NULL');
    expect(fn('upper', 'invoice@wc')).toBe('INVOICE@WC');
    expect(fn('upper', kant)).toBe('KANT');
  });

  it('lower-cases String(v)', () => {
    expect(fn('lower', fn('concat', 'Omega', '-', 'PRJ-2023-0815'))).toBe('omega-prj-2023-0815'); // SA-lower-x1
    expect(fn('lower', 'ДОМ')).toBe('дом');
    expect(fn('lower', true)).toBe('true');
  });
});

describe('size', () => {
  it('length of an array or a text, falsy → 0, else String(x).length', () => {
    expect(fn('size', 12345)).toBe(5);
    expect(fn('size', 'abc')).toBe(3);
    expect(fn('size', [1, null])).toBe(2);
    expect(fn('size', '')).toBe(0);
    expect(fn('size', 0)).toBe(0);
    expect(fn('size', null)).toBe(0);
    expect(fn('size', true)).toBe(4);
    expect(fn('size', kant)).toBe(4);
  });
});

describe('number2words (ION is broken; our definition)', () => {
  it.each([
    [0, 'ноль'],
    [1, 'один'],
    [2, 'два'],
    [11, 'одиннадцать'],
    [21, 'двадцать один'],
    [40, 'сорок'],
    [100, 'сто'],
    [115, 'сто пятнадцать'],
    [999, 'девятьсот девяносто девять'],
    [1000, 'одна тысяча'],
    [1021, 'одна тысяча двадцать один'],
    [2000, 'две тысячи'],
    [5000, 'пять тысяч'],
    [11000, 'одиннадцать тысяч'],
    [21000, 'двадцать одна тысяча'],
    [22000, 'двадцать две тысячи'],
    [1000000, 'один миллион'],
    [3000000, 'три миллиона'],
    [5000000, 'пять миллионов'],
    [1234567, 'один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь'],
    [2000000001, 'два миллиарда один'],
    [-45, 'минус сорок пять'],
  ])('ru: %d → %s', (n, words) => {
    expect(fn('number2words', n)).toBe(words);
    expect(fn('number2words', n, 'ru')).toBe(words);
  });

  it.each([
    [0, 'zero'],
    [13, 'thirteen'],
    [45, 'forty-five'],
    [100, 'one hundred'],
    [105, 'one hundred five'],
    [1001, 'one thousand one'],
    [1234567, 'one million two hundred thirty-four thousand five hundred sixty-seven'],
    [1e12, 'one trillion'],
    [-45, 'minus forty-five'],
  ])('en: %d → %s', (n, words) => {
    expect(fn('number2words', n, 'en')).toBe(words);
  });

  it('drops the fraction (truncates toward zero)', () => {
    expect(fn('number2words', 12.9)).toBe('двенадцать');
    expect(fn('number2words', -0.5, 'en')).toBe('zero');
    expect(fn('number2words', '12,5')).toBe('двенадцать');
  });

  it('reads numeric text; anything else is empty text', () => {
    expect(fn('number2words', '42', 'en-US')).toBe('forty-two');
    expect(fn('number2words', null)).toBe('');
    expect(fn('number2words', 'abc')).toBe('');
    expect(fn('number2words', Number.POSITIVE_INFINITY)).toBe('');
  });

  it('gives digits from 10^21 on', () => {
    expect(numberToWords(1e21, 'en')).toBe('1000000000000000000000');
  });

  it('falls back to ru for an unknown locale, with a warning', () => {
    const env = makeEnv();
    expect(caller(env)('number2words', 3, 'de')).toBe('три');
    expect(env.warnings).toHaveLength(1);
  });
});
