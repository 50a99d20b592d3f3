import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/config/index.ts';

describe('docs/worker.md', () => {
  it('shows the configuration table generated from src/config/fields.ts', () => {
    const text = readFileSync(new URL('../../docs/worker.md', import.meta.url), 'utf8');
    const start = text.indexOf('-->', text.indexOf('<!-- config-table:start')) + 3;
    const end = text.indexOf('<!-- config-table:end -->');
    expect(text.slice(start, end).trim()).toBe(configTable());
  });
});
