/**
 * The function registry: the catalog's metadata joined with the implementations of each family.
 * Every catalog entry must have exactly one implementation, in the file of its family; a missing
 * one fails at load (and in `test/formula/functions/registry.test.ts`).
 */
import { aggregateFunctions } from './aggregate.ts';
import { FUNCTION_CATALOG } from './catalog.ts';
import { compareFunctions } from './compare.ts';
import { dataFunctions } from './data.ts';
import { dateFunctions } from './date.ts';
import { logicFunctions } from './logic.ts';
import { mathFunctions } from './math.ts';
import type { FunctionFamily, FunctionImpl, FunctionSpec } from './spec.ts';
import { stringFunctions } from './string.ts';

/** Implementations by family, as the family files export them. */
export const IMPLEMENTATIONS: Readonly<Record<FunctionFamily, Readonly<Record<string, FunctionImpl>>>> = {
  logic: logicFunctions,
  compare: compareFunctions,
  math: mathFunctions,
  string: stringFunctions,
  date: dateFunctions,
  aggregate: aggregateFunctions,
  data: dataFunctions,
};

const hasOwn = Object.prototype.hasOwnProperty;

function buildRegistry(): ReadonlyMap<string, FunctionSpec> {
  const registry = new Map<string, FunctionSpec>();
  for (const [name, meta] of FUNCTION_CATALOG) {
    const family = IMPLEMENTATIONS[meta.family];
    if (!hasOwn.call(family, name)) throw new Error(`library function ${name} (${meta.family}) has no implementation`);
    registry.set(name, Object.freeze({ ...meta, impl: family[name] as FunctionImpl }));
  }
  return registry;
}

/** Every library function: metadata and implementation, by (case-sensitive) name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = buildRegistry();

/** The library function called `name`, or undefined (names are case-sensitive). */
export function getFunction(name: string): FunctionSpec | undefined {
  return FUNCTIONS.get(name);
}
