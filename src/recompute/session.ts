/**
 * A load session: the objects of one batch and everything their formulas read, loaded from the
 * store in batched queries. Evaluation is synchronous; when it reaches something not loaded yet
 * (a link, a class-form aggregation, a `get(class, …)`), the graph records the request and
 * answers null; the caller then resolves all recorded requests at once — one query per link
 * definition, per distinct aggregation, per distinct look-up — and evaluates again. The loading
 * plan (`preload`) loads the paths known from the meta up front, so that usually one
 * evaluation suffices.
 */
import type { ClassAggregateRequest, FindOneRequest } from '../formula/graph.ts';
import type { ClassMeta, MetaRepository, PropertyMeta } from '../meta/index.ts';
import type { StoredDocument, StorePort } from '../store/port.ts';
import { docId, keyField, keyQueryValues } from './keys.ts';
import { loadLink } from './link-loader.ts';
import { LoadedGraph } from './loaded-graph.ts';
import { LoadedObject } from './loaded-object.ts';
import { classAggregate, findOne } from './class-queries.ts';
import { FailedAnswer } from './requests.ts';
import type { RecomputeContext, RecomputeWarning } from './types.ts';

interface PendingQuery<R> {
  readonly request: R;
  readonly namespace: string;
}

export class LoadSession {
  readonly repo: MetaRepository;
  readonly store: StorePort;
  readonly graph: LoadedGraph;
  readonly warnings: RecomputeWarning[] = [];
  private readonly warned = new Set<string>();
  private readonly objects = new Map<string, LoadedObject>();
  private readonly linkRequests = new Map<PropertyMeta, Set<LoadedObject>>();
  private readonly aggregateRequests = new Map<string, PendingQuery<ClassAggregateRequest>>();
  private readonly findRequests = new Map<string, PendingQuery<FindOneRequest>>();
  /** Answers of class-form aggregations and look-ups, by request key. */
  readonly answers = new Map<string, unknown>();

  constructor(readonly ctx: RecomputeContext) {
    this.repo = ctx.meta.repository;
    this.store = ctx.store;
    this.graph = new LoadedGraph(this, ctx.compiled, ctx.now);
  }

  /** The loaded object for a stored document (the instance already loaded, if any); null for a document without a usable class or key. */
  adopt(doc: StoredDocument, expected?: ClassMeta): LoadedObject | null {
    const actual = typeof doc._class === 'string' ? this.repo.classes.get(doc._class) : undefined;
    const cls = actual ?? expected;
    if (!cls) return null;
    const id = docId(cls, doc);
    if (id === '') {
      this.warn({ class: cls.canonicalName, id: '' }, '', 'stored document has no key value: ignored');
      return null;
    }
    const key = `${cls.storage.collection}\u0000${id}`;
    const known = this.objects.get(key);
    if (known) return known;
    if (!actual) this.warn({ class: cls.canonicalName, id }, '_class', `unknown class ${JSON.stringify(doc._class)}: read as ${cls.canonicalName}`);
    const object = new LoadedObject(cls, doc, id);
    this.objects.set(key, object);
    return object;
  }

  /** An object standing for another's old state (old link values): outside the identity map. */
  ghost(cls: ClassMeta, doc: StoredDocument): LoadedObject {
    return new LoadedObject(cls, doc, docId(cls, doc), true);
  }

  /** Loads objects of `cls` (or its descendants) by id, in one query; missing ids are absent from the map. */
  async loadObjects(cls: ClassMeta, ids: readonly string[]): Promise<Map<string, LoadedObject>> {
    const values = keyQueryValues(cls, ids);
    if (values.length === 0) return new Map();
    return this.adoptObjects(cls, ids, await this.store.findByField(cls.storage.collection, cls.storage.discriminators, keyField(cls), values));
  }

  /** {@link loadObjects} from documents already read (in storage order): the objects of `ids` among them. */
  adoptObjects(cls: ClassMeta, ids: readonly string[], docs: readonly StoredDocument[]): Map<string, LoadedObject> {
    const out = new Map<string, LoadedObject>();
    const wanted = new Set(ids);
    for (const doc of docs) {
      const object = this.adopt(doc, cls);
      if (object && wanted.has(object.id) && !out.has(object.id)) out.set(object.id, object);
    }
    return out;
  }

  /** Wraps documents already read (a scan) as loaded objects. */
  adoptAll(docs: readonly StoredDocument[], cls: ClassMeta): LoadedObject[] {
    return docs.map((d) => this.adopt(d, cls)).filter((o): o is LoadedObject => o !== null);
  }

  requestLink(object: LoadedObject, property: PropertyMeta): void {
    const set = this.linkRequests.get(property) ?? new Set<LoadedObject>();
    set.add(object);
    this.linkRequests.set(property, set);
  }

  requestAggregate(key: string, request: ClassAggregateRequest, namespace: string): void {
    if (!this.aggregateRequests.has(key)) this.aggregateRequests.set(key, { request, namespace });
  }

  requestFind(key: string, request: FindOneRequest, namespace: string): void {
    if (!this.findRequests.has(key)) this.findRequests.set(key, { request, namespace });
  }

  get hasPending(): boolean {
    return this.linkRequests.size > 0 || this.aggregateRequests.size > 0 || this.findRequests.size > 0;
  }

  /** Resolves every recorded request: one query per link definition, per distinct aggregation and look-up. */
  async resolvePending(): Promise<void> {
    const links = [...this.linkRequests];
    const aggregates = [...this.aggregateRequests];
    const finds = [...this.findRequests];
    this.linkRequests.clear();
    this.aggregateRequests.clear();
    this.findRequests.clear();
    for (const [property, objects] of links) await loadLink(this, property, [...objects]);
    // A request that cannot be answered (an unknown class) fails the formula, not the batch.
    const answer = async (key: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        this.answers.set(key, await work());
      } catch (error) {
        this.answers.set(key, new FailedAnswer((error as Error).message));
      }
    };
    for (const [key, { request, namespace }] of aggregates) await answer(key, () => classAggregate(this, request, namespace));
    for (const [key, { request, namespace }] of finds) await answer(key, () => findOne(this, request, namespace));
  }

  /** Loads link `attribute` of every object that has it as a link (one query per definition). */
  async loadLinks(objects: readonly LoadedObject[], attribute: string): Promise<LoadedObject[]> {
    const byProperty = new Map<PropertyMeta, LoadedObject[]>();
    for (const o of objects) {
      const property = o.cls.propertyByName.get(attribute);
      if (!property?.link || property.link.kind === 'struct' || (property.formula !== undefined && property.formula !== null && !property.cached)) continue;
      const list = byProperty.get(property) ?? [];
      list.push(o);
      byProperty.set(property, list);
    }
    for (const [property, list] of byProperty) await loadLink(this, property, list);
    const reached: LoadedObject[] = [];
    for (const o of objects) {
      const value = o.links.get(attribute);
      if (value instanceof LoadedObject) reached.push(value);
      else if (Array.isArray(value)) reached.push(...(value as LoadedObject[]));
    }
    return reached;
  }

  /**
   * The loading plan: loads every link of `paths` (attribute names from the objects) level by
   * level — one query per link definition and level for all objects — before evaluation.
   */
  async preload(objects: readonly LoadedObject[], paths: readonly (readonly string[])[]): Promise<void> {
    const root = pathTree(paths);
    const visit = async (node: PathNode, at: readonly LoadedObject[]): Promise<void> => {
      for (const [segment, child] of node.children) {
        if (child.children.size === 0 && !this.isLinkSomewhere(at, segment)) continue;
        const reached = await this.loadLinks(at, segment);
        if (reached.length > 0 && child.children.size > 0) await visit(child, unique(reached));
      }
    };
    await visit(root, objects);
  }

  /** The objects reached from `objects` along link attributes `segments` (declared dependency paths). */
  async walk(objects: readonly LoadedObject[], segments: readonly string[]): Promise<LoadedObject[]> {
    let at = unique(objects);
    for (const segment of segments) {
      if (at.length === 0) break;
      at = unique(await this.loadLinks(at, segment));
    }
    return at;
  }

  /** Records a bad-data warning once per object and attribute. */
  warn(object: { readonly cls?: ClassMeta; readonly class?: string; readonly id: string }, attribute: string, message: string): void {
    const className = object.cls?.canonicalName ?? object.class ?? '';
    const key = `${className}\u0000${object.id}\u0000${attribute}\u0000${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const warning = { class: className, id: object.id, attribute, message };
    this.warnings.push(warning);
    this.ctx.hooks.onWarning?.(warning);
  }

  private isLinkSomewhere(objects: readonly LoadedObject[], attribute: string): boolean {
    return objects.some((o) => o.cls.propertyByName.get(attribute)?.link !== undefined);
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Paths as a tree of segments: a shared prefix is one node, so it is loaded once. */
export interface PathNode {
  readonly children: Map<string, PathNode>;
}

export function pathTree(paths: readonly (readonly string[])[]): PathNode {
  const root: PathNode = { children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
  }
  return root;
}
