/**
 * The `ObjectGraph` over a load session (ion-spec §1.4, §3): attribute reads on loaded objects,
 * links resolved to loaded objects in storage order, system attributes, display values, the
 * semantic, non-cached formulas computed on demand once per object (cast by type), and
 * class-form aggregations / `get(class, …)` answered from what the session loaded.
 *
 * Anything not loaded yet is recorded as a request and read as null (a collection as []); the
 * session resolves the requests in batched queries and the caller evaluates again. `missCount`
 * tells the caller whether an evaluation saw incomplete data.
 */
import moment from 'moment';
import { createRequire } from 'node:module';
import { castToPropertyType, PropertyType } from '../formula/cast.ts';
import type { CompiledFormula } from '../formula/compile.ts';
import { FormulaRuntimeError } from '../formula/runtime.ts';
import type { ClassAggregateRequest, FindOneRequest, GraphObject, ObjectGraph } from '../formula/graph.ts';
import type { PropertyMeta } from '../meta/index.ts';
import type { CompiledMeta } from './compiled-meta.ts';
import { isEmptyLink } from './keys.ts';
import { LoadedObject } from './loaded-object.ts';
import { FailedAnswer, requestKey } from './requests.ts';
import type { LoadSession } from './session.ts';

// Display values format dates in the `ru` locale (objects are loaded without a language).
createRequire(import.meta.url)('moment/locale/ru.js');

/** A formula result as an attribute of `property` reads it: objects stay objects, the rest is cast. */
export function readableValue(graph: ObjectGraph, raw: unknown, type: number): unknown {
  if (type === PropertyType.REFERENCE && graph.isObject(raw)) return raw;
  if (type === PropertyType.COLLECTION && Array.isArray(raw) && raw.every((v) => graph.isObject(v))) return raw;
  return castToPropertyType(raw, type, graph);
}

const isComputed = (p: PropertyMeta): boolean => p.formula !== undefined && p.formula !== null && !p.cached;

export class LoadedGraph implements ObjectGraph {
  /** Incremented whenever a read hits data that is not loaded yet. */
  missCount = 0;
  /**
   * Incremented whenever a computed value re-enters itself through a data cycle and reads the
   * stored value instead: what was computed around the cut depends on where the evaluation
   * entered the cycle, so it is not memoized (results stay independent of evaluation order).
   */
  private cycleCuts = 0;
  /**
   * Incremented whenever a read returns a fresh (not yet stored) value of the object being
   * recomputed: another object's computed value that saw it is not memoized, so no other root
   * of the batch sees this root's unwritten values.
   */
  private freshReads = 0;
  /** Namespace of the object being evaluated, for bare class names in class-form functions. */
  namespace = '';
  /** The object whose cached values are being recomputed: its fresh values shadow the stored ones. */
  private root: LoadedObject | null = null;
  private fresh = new Map<string, unknown>();
  private readonly evaluators = new Map<CompiledFormula, (target: unknown) => unknown>();
  /** Receives warnings raised by formulas (set by the evaluator around each evaluation). */
  formulaWarnings: string[] = [];

  constructor(
    private readonly session: LoadSession,
    private readonly compiled: CompiledMeta,
    private readonly now: Date | (() => Date) | undefined,
  ) {}

  /** The compiled formula of an attribute, or null. */
  compiledFormula(property: PropertyMeta): CompiledFormula | null {
    return this.compiled.formulaOf(property);
  }

  /** The evaluator of a compiled formula over this graph, bound once. */
  evaluator(formula: CompiledFormula): (target: unknown) => unknown {
    let fn = this.evaluators.get(formula);
    if (!fn) {
      fn = formula.bind({ graph: this, locale: 'en', onWarning: (m) => this.formulaWarnings.push(m), ...(this.now ? { now: this.now } : {}) });
      this.evaluators.set(formula, fn);
    }
    return fn;
  }

  /** Starts recomputing `root`: its computed values are dropped and its fresh cached values shadow the stored ones. */
  beginRoot(root: LoadedObject): void {
    this.root = root;
    this.fresh = new Map();
    this.namespace = root.cls.namespace;
    root.forgetComputed();
  }

  /** Records a freshly computed cached value of the root, visible to the root's later formulas. */
  setFresh(attribute: string, value: unknown): void {
    this.fresh.set(attribute, value);
  }

  endRoot(): void {
    if (this.root) this.root.forgetComputed();
    this.root = null;
    this.fresh = new Map();
  }

  isObject(value: unknown): value is GraphObject {
    return value instanceof LoadedObject;
  }

  idOf(object: GraphObject): string {
    return (object as LoadedObject).id;
  }

  classOf(object: GraphObject): string {
    return (object as LoadedObject).cls.canonicalName;
  }

  get(object: GraphObject, name: string): unknown {
    const o = object as LoadedObject;
    if (o === this.root && this.fresh.has(name)) {
      this.freshReads++;
      return this.fresh.get(name);
    }
    const property = o.cls.propertyByName.get(name);
    if (!property) {
      if (name === '__class') return o.cls.canonicalName;
      if (name === '__classTitle') return o.cls.caption;
      if (name === '__semantic') return o.doc.__semantic;
      // ION falls back to the item's own JS properties: `$id` is the id when no attribute is named so.
      if (name === 'id') return o.id;
      return undefined;
    }
    if (isComputed(property)) return this.computeAttribute(o, property);
    if (property.link && property.link.kind !== 'struct') return this.linkValue(o, property);
    return o.doc[name];
  }

  private linkValue(o: LoadedObject, property: PropertyMeta): unknown {
    const loaded = o.links.get(property.name);
    if (loaded !== undefined) return loaded;
    const link = property.link!;
    const stored = o.doc[property.name];
    if (link.kind === 'reference' && isEmptyLink(stored)) return null;
    if ((link.kind === 'idArray' || link.kind === 'backColl') && (stored === null || stored === undefined || (Array.isArray(stored) && stored.length === 0))) return [];
    this.missCount++;
    this.session.requestLink(o, property);
    return link.many ? [] : null;
  }

  /** A non-cached formula attribute: computed on demand, once per object (when the data was complete). */
  private computeAttribute(o: LoadedObject, property: PropertyMeta): unknown {
    const name = property.name;
    if (o.computed.has(name)) return o.computed.get(name);
    const stored = o.doc[name] ?? null;
    const formula = this.compiled.formulaOf(property);
    if (!formula) return stored;
    // A data cycle (the formula reaches itself) reads the stored value, as ION's re-entrancy guard does.
    if (o.computing.has(name)) {
      this.cycleCuts++;
      return stored;
    }
    const missesBefore = this.missCount;
    const cutsBefore = this.cycleCuts;
    const freshBefore = this.freshReads;
    o.computing.add(name);
    let value: unknown;
    try {
      const raw = this.evaluator(formula)(o);
      value = raw === undefined ? stored : readableValue(this, raw, property.type);
    } catch (error) {
      if (this.missCount === missesBefore) this.session.warn(o, name, `formula failed: ${(error as Error).message}; read as null`);
      value = null;
    } finally {
      o.computing.delete(name);
    }
    if (this.missCount === missesBefore && this.cycleCuts === cutsBefore && (o === this.root || this.freshReads === freshBefore)) o.computed.set(name, value);
    return value;
  }

  semanticOf(object: GraphObject): string {
    const o = object as LoadedObject;
    if (o !== this.root && o.cls.semanticCached && typeof o.doc.__semantic === 'string') return o.doc.__semantic || o.id;
    if (o.semantic !== undefined) return o.semantic || o.id;
    const text = this.computeSemantic(o);
    return text || o.id;
  }

  /** The class semantic as text ('' when empty): the value `__semantic` stores. */
  computeSemantic(o: LoadedObject): string {
    const formula = this.compiled.semanticOf(o.cls.canonicalName);
    if (!formula) return '';
    if (o.semanticComputing) {
      this.cycleCuts++;
      return '';
    }
    const missesBefore = this.missCount;
    const cutsBefore = this.cycleCuts;
    const freshBefore = this.freshReads;
    o.semanticComputing = true;
    let text = '';
    try {
      const raw = this.evaluator(formula)(o);
      text = raw === null || raw === undefined ? '' : String(raw);
    } catch (error) {
      if (this.missCount === missesBefore) this.session.warn(o, '__semantic', `semantic failed: ${(error as Error).message}`);
    } finally {
      o.semanticComputing = false;
    }
    if (this.missCount === missesBefore && this.cycleCuts === cutsBefore && this.freshReads === freshBefore && o !== this.root) o.semantic = text;
    return text;
  }

  displayOf(object: GraphObject, name: string): unknown {
    const o = object as LoadedObject;
    const property = o.cls.propertyByName.get(name);
    const value = this.get(o, name);
    if (value === null || value === undefined) return '';
    if (value instanceof LoadedObject || (Array.isArray(value) && value.some((v) => v instanceof LoadedObject))) {
      const own = property ? this.compiled.propertySemanticOf(property) : null;
      const show = (item: LoadedObject): string => {
        if (!own) return this.semanticOf(item);
        const raw = this.evaluator(own)(item);
        return raw === null || raw === undefined ? '' : String(raw);
      };
      if (value instanceof LoadedObject) return show(value);
      return (value as unknown[]).filter((v): v is LoadedObject => v instanceof LoadedObject).map(show).join(' ');
    }
    const label = property?.selectionList?.get(String(value));
    if (label !== undefined) return label;
    if (value instanceof Date) return moment(value).locale('ru').format('L LT');
    return value;
  }

  private answerOf(key: string): unknown {
    const answer = this.session.answers.get(key);
    if (answer instanceof FailedAnswer) throw new FormulaRuntimeError(answer.message);
    return answer;
  }

  aggregate(request: ClassAggregateRequest): unknown {
    const key = `agg:${requestKey(request)}`;
    if (this.session.answers.has(key)) return this.answerOf(key);
    this.missCount++;
    this.session.requestAggregate(key, request, this.namespace);
    return null;
  }

  findOne(request: FindOneRequest): GraphObject | null {
    const key = `find:${requestKey(request)}`;
    if (this.session.answers.has(key)) return this.answerOf(key) as GraphObject | null;
    this.missCount++;
    this.session.requestFind(key, request, this.namespace);
    return null;
  }
}
