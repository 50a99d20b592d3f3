import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/formula/compile.ts';
import type { FormulaNode } from '../../src/formula/ast.ts';
import { loadMetaTexts } from '../../src/meta/load.ts';
import { compileSemantic, toObjectSyntax } from '../../src/meta/semantic.ts';

const meta = loadMetaTexts({
  'person.class.json': JSON.stringify({
    name: 'person', key: ['id'], properties: [
      { name: 'id', type: 0 }, { name: 'a', type: 0 }, { name: 'b', type: 0 }, { name: 'name', type: 0 }, { name: 'code', type: 0 },
      { name: 'city', type: 13, refClass: 'city' }, { name: 'pets', type: 14, itemsClass: 'city' },
    ],
  }),
  'city.class.json': JSON.stringify({ name: 'city', key: ['id'], properties: [{ name: 'id', type: 0 }, { name: 'title', type: 0 }] }),
});
const person = meta.repository.get('person');
const compile = (template: string): unknown => toObjectSyntax(compileSemantic(meta.repository, person, template));

describe('semantic templates compiled as ION does (§3)', () => {
  it('attribute parts become display values, other parts literal text, no separator added', () => {
    expect(compile('name| |code')).toEqual({ concat: ['$name@', ' ', '$code@'] });
  });

  it('keeps literal parts untrimmed and trims attribute tokens', () => {
    expect(compile('name | (|code|)')).toEqual({ concat: ['$name@', ' (', '$code@', ')'] });
  });

  it('single-letter attribute names stay literal (ION quirk)', () => {
    expect(compile('a = |a| b = |b')).toEqual({ concat: ['a = ', 'a', ' b = ', 'b'] });
  });

  it('[start,len] becomes substr of the display value', () => {
    expect(compile('name[0,3]|code [2]')).toEqual({ concat: [{ substr: ['$name@', 0, 3] }, { substr: ['$code@', 2] }] });
  });

  it('dotted tokens resolve through references only, not collections', () => {
    expect(compile('city.title| |pets.title')).toEqual({ concat: ['$city.title@', ' ', 'pets.title'] });
  });

  it('a word that names no attribute is text; one that does becomes the attribute', () => {
    expect(compile('Code: |code|, unknown')).toEqual({ concat: ['Code: ', '$code@', ', unknown'] });
  });

  it('spans point into the template, so binding problems can be located', () => {
    const node = compileSemantic(meta.repository, person, 'name| |code') as Extract<FormulaNode, { kind: 'call' }>;
    expect(node.args[2]!.span).toMatchObject({ kind: 'text', start: 7, end: 11, column: 8 });
  });

  it('evaluates through the formula engine like any formula', () => {
    const formula = compileFormula(compile('name| (|city.title|)'));
    expect(formula.evaluate({ name: 'Ann', city: { id: 'c1', title: 'Omsk' } })).toBe('Ann (Omsk)');
  });

  it('literal text starting with $ stays text through the object syntax', () => {
    const formula = compileFormula(compile('$ |code'));
    expect(formula.evaluate({ code: '42' })).toBe('$ 42');
  });

  it('for any template, the parts are the |-separated pieces: attributes as display paths, the rest verbatim', () => {
    const piece = fc.oneof(fc.constantFrom('name', ' code ', 'city.title', 'a', 'pets', 'x[1,2]', 'name [0, 2]', ' ', ', '), fc.string({ maxLength: 6 }).filter((t) => !t.includes('|')));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const compiled = compile(pieces.join('|')) as { concat: unknown[] };
        const expected = pieces.filter((p) => p !== '').map((p) => {
          const token = /^([^\s[]+)\s*(\[\s*(\d+)(\s*,\s*(\d+))?\s*\])?$/.exec(p.trim());
          const known = token && ['name', 'code', 'city.title', 'pets'].includes(token[1]!);
          if (!known) return p.startsWith('$') ? { substr: [`_${p}`, 1] } : p;
          if (token[3] === undefined) return `$${token[1]}@`;
          return { substr: [`$${token[1]}@`, Number(token[3]), ...(token[5] === undefined ? [] : [Number(token[5])])] };
        });
        expect(compiled.concat).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

