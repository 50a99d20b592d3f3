/** Reading a formula given on the command line. */
import { CliError } from './io.ts';

/** The formula as given, or the parsed JSON value for an object-syntax formula. */
export function readFormulaArgument(text: string, json: boolean): unknown {
  if (!json) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`--json: the formula is not valid JSON: ${(error as Error).message}`, 1);
  }
}

/** Parses a JSON argument (`--object`), naming the option in the error. */
export function readJsonOption(text: string, option: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${option}: not valid JSON: ${(error as Error).message}`, 1);
  }
}
