/**
 * ion-recalc — public API.
 *
 * Formulas: `parseFormula` reads either ION syntax into one AST; `compileFormula` turns it into a
 * synchronous evaluator that reports what it reads. Evaluate over plain JS objects directly, or
 * over any `ObjectGraph`.
 */
export { parseFormula, analyzeFormula, type ParsedFormula } from './formula/parse.ts';
export {
  compileFormula,
  type CompiledFormula,
  type CompileOptions,
  type EvaluateOptions,
} from './formula/compile.ts';
export {
  FormulaSyntaxError,
  DiagnosticCodes,
  formatDiagnostic,
  type DiagnosticCode,
  type FormulaDiagnostic,
} from './formula/diagnostics.ts';
export { FormulaRuntimeError, LazyFormula } from './formula/runtime.ts';
export type {
  FormulaNode,
  LiteralNode,
  PathNode,
  CallNode,
  ArrayNode,
  ObjectNode,
  SourceSpan,
  TextSpan,
  JsonSpan,
} from './formula/ast.ts';
export type { FormulaRead, PathRead, ClassRead } from './formula/reads.ts';
export type {
  ObjectGraph,
  GraphObject,
  ClassAggregateRequest,
  FindOneRequest,
} from './formula/graph.ts';
export { PlainObjectGraph, type PlainGraphOptions } from './formula/plain-graph.ts';
export { castToPropertyType, PropertyType, type PropertyTypeCode } from './formula/cast.ts';
export { encodeValue, decodeValue } from './formula/value-encoding.ts';

/**
 * Class meta: `openMeta(dir)` loads every `*.class.json` under a directory, validates it (every
 * problem at once, with file, class, attribute and formula position), binds every formula and
 * builds the dependency graph (what each cached value reads; which objects a change affects).
 */
export {
  openMeta,
  openMetaTexts,
  formatMetaDiagnostic,
  hasErrors,
  type MetaModel,
  type MetaDiagnostic,
  type LoadOptions,
  type ClassMeta,
  type PropertyMeta,
  type DependencyGraph,
} from './meta/index.ts';
