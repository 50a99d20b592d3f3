/**
 * Where a formula sits in a class file, and how a span inside the formula becomes a file
 * position: text spans of string formulas map onto the characters of the JSON string (escapes
 * accounted for); JSON spans of object formulas are appended to the formula's pointer.
 */
import type { SourceSpan } from '../formula/ast.ts';
import type { MetaCode, MetaSeverity } from './diagnostics.ts';
import { stringCharOffset } from './json-source.ts';
import type { DiagnosticSink } from './sink.ts';

export interface FormulaSite {
  readonly file: string;
  /** JSON pointer of the formula value in the file (`/properties/3/formula`). */
  readonly pointer: string;
  readonly className: string;
  readonly attribute?: string;
}

/** Reports a problem at `span` of the formula at `site`. */
export function reportInFormula(
  sink: DiagnosticSink,
  site: FormulaSite,
  span: SourceSpan | undefined,
  code: MetaCode,
  severity: MetaSeverity,
  message: string,
  formulaCode?: string,
): void {
  const base = {
    file: site.file,
    className: site.className,
    ...(site.attribute !== undefined ? { attribute: site.attribute } : {}),
    ...(formulaCode !== undefined ? { formulaCode } : {}),
  };
  if (!span) {
    sink.report(code, severity, message, { ...base, pointer: site.pointer });
    return;
  }
  if (span.kind === 'json') {
    sink.report(code, severity, message, { ...base, pointer: `${site.pointer}${span.pointer}` });
    return;
  }
  const source = sink.source(site.file);
  const valueOffset = source?.offsets.get(site.pointer);
  const offset = source && valueOffset !== undefined && source.text[valueOffset] === '"' ? stringCharOffset(source.text, valueOffset, span.start) : undefined;
  sink.report(code, severity, message, {
    ...base,
    pointer: site.pointer,
    ...(offset !== undefined ? { offset } : {}),
    formulaLine: span.line,
    formulaColumn: span.column,
  });
}
