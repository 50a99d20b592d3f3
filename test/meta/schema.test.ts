import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/class.schema.json' with { type: 'json' };
import { listClassFiles } from '../../src/meta/read-files.ts';
import { sharedPath } from '../shared-dir.ts';

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const root = new URL('../../', import.meta.url).pathname;

describe('schema/class.schema.json', () => {
  const files = [
    ...listClassFiles(`${root}meta`),
    ...listClassFiles(`${root}test/meta/fixtures`),
    ...['A', 'B', 'C'].flatMap((w) => listClassFiles(sharedPath(`conformance/worlds/${w}/meta`))),
  ];

  it('accepts the demo application, the fixtures and the conformance worlds', () => {
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expect(validate(JSON.parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it('the demo files point editors at the schema', () => {
    for (const file of listClassFiles(`${root}meta`)) {
      const ref = (JSON.parse(readFileSync(file, 'utf8')) as { $schema?: string }).$schema;
      expect(new URL(ref!, `file://${file}`).pathname).toBe(`${root}schema/class.schema.json`);
    }
  });

  it.each([
    ['a reference without refClass', { name: 'a', properties: [{ name: 'r', type: 13 }] }, '/properties/0'],
    ['a collection with an empty itemsClass', { name: 'a', properties: [{ name: 'c', type: 14, itemsClass: '' }] }, '/properties/0/itemsClass'],
    ['an unknown type code', { name: 'a', properties: [{ name: 'x', type: 19 }] }, '/properties/0/type'],
    ['a class name with a space', { name: 'my class', properties: [] }, '/name'],
    ['a numeric key', { name: 'a', key: 1, properties: [] }, '/key'],
    ['cacheDependencies that are not strings', { name: 'a', properties: [], cacheDependencies: [1] }, '/cacheDependencies/0'],
  ])('rejects %s', (_label, value, pointer) => {
    expect(validate(value)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain(pointer);
  });
});
