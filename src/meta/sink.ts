/**
 * Collects meta diagnostics and turns "file + JSON pointer" into `file:line:col` using the
 * positions recorded while reading each file.
 */
import { MetaCodes, type MetaCode, type MetaDiagnostic, type MetaSeverity } from './diagnostics.ts';
import { positionAt, type JsonSource } from './json-source.ts';

export interface DiagnosticScope {
  readonly file: string;
  readonly pointer?: string;
  readonly className?: string;
  readonly attribute?: string;
  /** Exact file offset, when known better than the pointer (string formulas). */
  readonly offset?: number;
  readonly formulaLine?: number;
  readonly formulaColumn?: number;
  readonly formulaCode?: string;
}

export class DiagnosticSink {
  readonly list: MetaDiagnostic[] = [];
  private readonly sources = new Map<string, JsonSource>();

  /** Registers a file's parsed source so pointers into it can be located. */
  addSource(file: string, source: JsonSource): void {
    this.sources.set(file, source);
  }

  source(file: string): JsonSource | undefined {
    return this.sources.get(file);
  }

  report(code: MetaCode, severity: MetaSeverity, message: string, scope: DiagnosticScope): void {
    const source = this.sources.get(scope.file);
    let line = 0;
    let column = 0;
    if (source) {
      if (scope.offset !== undefined) {
        const before = source.text.slice(0, scope.offset);
        line = before.split('\n').length;
        column = scope.offset - before.lastIndexOf('\n');
      } else {
        ({ line, column } = positionAt(source, scope.pointer ?? ''));
      }
    }
    const diagnostic: MetaDiagnostic = {
      code,
      severity,
      message,
      file: scope.file,
      line,
      column,
      ...(scope.pointer !== undefined ? { pointer: scope.pointer } : {}),
      ...(scope.className !== undefined ? { className: scope.className } : {}),
      ...(scope.attribute !== undefined ? { attribute: scope.attribute } : {}),
      ...(scope.formulaLine !== undefined ? { formulaLine: scope.formulaLine, formulaColumn: scope.formulaColumn ?? 0 } : {}),
      ...(scope.formulaCode !== undefined ? { formulaCode: scope.formulaCode } : {}),
    };
    this.list.push(diagnostic);
  }

  error(code: MetaCode, message: string, scope: DiagnosticScope): void {
    this.report(code, 'error', message, scope);
  }

  warning(code: MetaCode, message: string, scope: DiagnosticScope): void {
    this.report(code, 'warning', message, scope);
  }
}

export { MetaCodes };
