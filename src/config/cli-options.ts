/**
 * The configuration flags on a commander command, from the field table: `recalc worker` declares
 * them all, other commands the ones they need (`--db`, `--meta`…). Values stay text; loadConfig
 * validates them with the environment.
 */
import { Option, type Command } from 'commander';
import { CONFIG_FIELDS, type FieldSpec } from './fields.ts';
import type { WorkerConfig } from './worker-config.ts';

/** Commander's attribute name of a flag: `--batch-size` → `batchSize`. */
function attributeName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function optionFor(field: FieldSpec): Option {
  if (field.kind === 'bool') return new Option(`--${field.flag} [bool]`, `${field.doc} (env ${field.env})`);
  const option = new Option(`--${field.flag} <value>`, `${field.doc} (env ${field.env}; default ${field.shownDefault.replace(/`/g, '')})`);
  if (field.kind === 'schedules') {
    // Repeatable: each occurrence adds a schedule.
    return option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  }
  return option;
}

/** Declares the configuration flags (all, or the `only` ones) on `command`. */
export function addConfigOptions(command: Command, only?: readonly (keyof WorkerConfig)[]): Command {
  for (const field of CONFIG_FIELDS) {
    if (only && !only.includes(field.key)) continue;
    command.addOption(optionFor(field));
  }
  return command;
}

/**
 * The configuration options out of commander's parsed options (`command.opts()`), keyed for
 * {@link loadConfig}'s `options`; other options of the command are left out. A bare boolean
 * flag (`--pre-images`) means true.
 */
export function configOptionsFrom(parsed: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    const value = parsed[attributeName(field.flag)];
    if (value === undefined) continue;
    out[field.key] = field.kind === 'bool' && value === true ? true : value;
  }
  return out;
}
