/**
 * Reading class files: every `*.class.json` under a directory (recursively, in a stable order),
 * parsed with positions and checked against `schema/class.schema.json`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import classSchema from '../../schema/class.schema.json' with { type: 'json' };
import { JsonSyntaxError, parseJsonSource, type JsonSource } from './json-source.ts';
import { MetaCodes, type DiagnosticSink } from './sink.ts';

/** One class file as read: its text, value and the namespace its file name carries. */
export interface ClassFile {
  /** Path as reported in diagnostics (relative to the working directory when possible). */
  readonly file: string;
  readonly source: JsonSource;
  readonly raw: Record<string, unknown>;
  /** `ns` of a `name@ns.class.json` file name. */
  readonly fileNamespace: string | undefined;
}

/** In-memory input for tests and generated meta: file name → JSON text. */
export type ClassFileTexts = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  // strict: false — the schema uses union types ("integer", "null") that strict mode only logs about.
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(classSchema);
  return validator;
}

/** Every `*.class.json` path under `dir`, sorted so that loading is deterministic. */
export function listClassFiles(dir: string): string[] {
  const found: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith('.class.json')) found.push(full);
    }
  };
  visit(dir);
  return found;
}

/** Reads and checks every class file under `dir`. */
export function readClassDir(dir: string, sink: DiagnosticSink): ClassFile[] {
  const texts = new Map<string, string>();
  for (const full of listClassFiles(dir)) {
    const shown = relative(process.cwd(), full);
    const file = shown.startsWith('..') ? full : shown;
    try {
      texts.set(file, readFileSync(full, 'utf8'));
    } catch (error) {
      sink.error(MetaCodes.unreadable, `cannot read: ${(error as Error).message}`, { file });
    }
  }
  return readClassTexts(texts, sink);
}

/** Parses and checks class files given as text. */
export function readClassTexts(texts: ClassFileTexts, sink: DiagnosticSink): ClassFile[] {
  const entries = texts instanceof Map ? [...texts.entries()] : Object.entries(texts);
  const files: ClassFile[] = [];
  for (const [file, text] of entries) {
    let source: JsonSource;
    try {
      source = parseJsonSource(text);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      sink.addSource(file, { text, value: undefined, offsets: new Map() });
      sink.error(MetaCodes.invalidJson, `invalid JSON: ${error.message}`, { file, offset: error.position.offset });
      continue;
    }
    sink.addSource(file, source);
    const validate = schemaValidator();
    if (!validate(source.value)) {
      for (const e of pickSchemaErrors(validate.errors ?? [])) {
        sink.error(MetaCodes.schema, schemaMessage(e), { file, pointer: e.instancePath });
      }
      // A file that is not even an object with a name and properties cannot be modelled.
      if (!isClassShaped(source.value)) continue;
    }
    const ns = /@([^@]+)\.class\.json$/.exec(basename(file));
    files.push({ file, source, raw: source.value as Record<string, unknown>, fileNamespace: ns?.[1] });
  }
  return files;
}

function isClassShaped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && Array.isArray(v.properties);
}

/** Drops the noise of `if/then` and `oneOf` wrappers when a more precise error exists. */
function pickSchemaErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const precise = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf');
  const chosen = precise.length > 0 ? precise : [...errors];
  const seen = new Set<string>();
  return chosen.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function schemaMessage(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'required') return `${at}: missing required field "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  return `${at}: ${e.message ?? 'does not match the class schema'}`;
}
