/**
 * From class files to `ClassMeta`: namespaces and canonical names, duplicate detection,
 * `ancestor` resolution with cycle detection, inheritance (attributes, key, semantic and
 * `cacheDependencies` inherited; `semanticCached` not) and the storage layout of ion-spec §2.5.
 */
import type { ClassFile } from './read-files.ts';
import type { ClassMeta, MetaLocation, PropertyMeta, StorageMeta } from './model.ts';
import { buildProperty } from './build-property.ts';
import { canonicalName, MetaRepository, resolveClassName } from './repository.ts';
import { MetaCodes, type DiagnosticSink } from './sink.ts';

export interface BuildOptions {
  /** Namespace of classes that name none (neither in the file nor in the file name). */
  readonly namespace?: string;
}

interface Pending {
  readonly file: ClassFile;
  readonly name: string;
  readonly namespace: string;
  readonly canonical: string;
  ancestor: string | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Builds the repository; structural problems go to `sink`, the model is built regardless. */
export function buildClasses(files: readonly ClassFile[], sink: DiagnosticSink, options: BuildOptions = {}): MetaRepository {
  const pending = new Map<string, Pending>();
  for (const file of files) {
    const name = str(file.raw.name);
    const namespace = str(file.raw.namespace) || file.fileNamespace || options.namespace || '';
    const canonical = canonicalName(name, namespace);
    const earlier = pending.get(canonical);
    if (earlier) {
      sink.error(MetaCodes.duplicateClass, `class ${canonical} is already defined in ${earlier.file.file}`, {
        file: file.file,
        pointer: '/name',
        className: canonical,
      });
      continue;
    }
    pending.set(canonical, { file, name, namespace, canonical, ancestor: undefined });
  }

  // Resolve ancestors, then break cycles so that inheritance below always terminates.
  for (const p of pending.values()) {
    const written = str(p.file.raw.ancestor);
    if (!written) continue;
    p.ancestor = resolveClassName(written, p.namespace, (n) => pending.has(n));
    if (!p.ancestor) {
      sink.error(MetaCodes.unknownAncestor, `unknown ancestor class ${written}`, {
        file: p.file.file,
        pointer: '/ancestor',
        className: p.canonical,
      });
    }
  }
  breakCycles(pending, sink);

  const built = new Map<string, ClassMeta>();
  const descendants = new Map<string, string[]>();
  for (const p of pending.values()) {
    for (let a = p.ancestor; a; a = pending.get(a)?.ancestor) {
      const list = descendants.get(a) ?? [];
      list.push(p.canonical);
      descendants.set(a, list);
    }
  }
  const build = (p: Pending): ClassMeta => {
    const done = built.get(p.canonical);
    if (done) return done;
    const parent = p.ancestor ? build(pending.get(p.ancestor)!) : undefined;
    const resolve = (written: string): string | undefined => resolveClassName(written, p.namespace, (n) => pending.has(n));
    const meta = buildClass(p, parent, descendants.get(p.canonical) ?? [], resolve, sink);
    built.set(p.canonical, meta);
    return meta;
  };
  for (const p of pending.values()) build(p);
  return new MetaRepository(built.values());
}

function breakCycles(pending: Map<string, Pending>, sink: DiagnosticSink): void {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of pending.values()) {
    const chain: Pending[] = [];
    let p: Pending | undefined = start;
    while (p && !state.has(p.canonical)) {
      state.set(p.canonical, 'visiting');
      chain.push(p);
      p = p.ancestor ? pending.get(p.ancestor) : undefined;
    }
    if (p && state.get(p.canonical) === 'visiting') {
      const cycle = chain.slice(chain.indexOf(p));
      const names = [...cycle.map((c) => c.canonical), p.canonical].join(' → ');
      for (const member of cycle) {
        sink.error(MetaCodes.inheritanceCycle, `inheritance cycle: ${names}`, {
          file: member.file.file,
          pointer: '/ancestor',
          className: member.canonical,
        });
      }
      // Cut the cycle at its entry so every member still gets a model.
      p.ancestor = undefined;
    }
    for (const c of chain) state.set(c.canonical, 'done');
  }
}

function buildClass(
  p: Pending,
  parent: ClassMeta | undefined,
  descendants: readonly string[],
  resolve: (written: string) => string | undefined,
  sink: DiagnosticSink,
): ClassMeta {
  const raw = p.file.raw;
  const location: MetaLocation = { file: p.file.file, pointer: '' };

  // Own definitions replace inherited ones in place (ION assigns into the same object, so the
  // declaration order of an override is the ancestor's), new ones are appended.
  const merged = new Map<string, PropertyMeta>(parent ? parent.properties.map((q) => [q.name, q]) : []);
  const declarationOrder: string[] = parent ? [...parent.declarationOrder] : [];
  const ownSeen = new Set<string>();
  const rawProps = Array.isArray(raw.properties) ? raw.properties : [];
  rawProps.forEach((rp, index) => {
    if (typeof rp !== 'object' || rp === null) return;
    const pointer = `/properties/${index}`;
    const property = buildProperty(rp as Record<string, unknown>, { file: p.file.file, pointer }, p.canonical, resolve);
    if (!property.name) return;
    if (ownSeen.has(property.name)) {
      sink.error(MetaCodes.duplicateAttribute, `attribute ${property.name} is declared twice`, {
        file: p.file.file,
        pointer: `${pointer}/name`,
        className: p.canonical,
        attribute: property.name,
      });
      return;
    }
    ownSeen.add(property.name);
    if (!merged.has(property.name)) declarationOrder.push(property.name);
    merged.set(property.name, property);
  });
  // Array.prototype.sort is stable: ties keep declaration order.
  const properties = declarationOrder.map((n) => merged.get(n)!).sort((a, b) => a.orderNumber - b.orderNumber);

  const ownKey = Array.isArray(raw.key) ? raw.key.filter((k): k is string => typeof k === 'string') : typeof raw.key === 'string' && raw.key ? [raw.key] : [];
  const key = ownKey.length > 0 ? ownKey : (parent?.key ?? []);
  const ownDeps = Array.isArray(raw.cacheDependencies)
    ? raw.cacheDependencies.flatMap((d, i) => (typeof d === 'string' ? [{ path: d, location: { file: p.file.file, pointer: `/cacheDependencies/${i}` } }] : []))
    : [];
  const ownSemantic = raw.semantic;
  const semantic = ownSemantic === undefined || ownSemantic === null || ownSemantic === '' ? parent?.semantic : ownSemantic;

  const ancestors = parent ? [parent.canonicalName, ...parent.ancestors] : [];
  const root = ancestors.length > 0 ? ancestors[ancestors.length - 1]! : p.canonical;
  const storage = storageOf(p, root, parent, descendants);

  return {
    canonicalName: p.canonical,
    name: p.name,
    namespace: p.namespace,
    caption: str(raw.caption) || p.name,
    version: str(raw.version),
    abstract: raw.abstract === true,
    ancestor: parent?.canonicalName,
    ancestors,
    descendants,
    key,
    semantic,
    semanticCached: raw.semanticCached === true,
    cacheDependencies: [...(parent?.cacheDependencies ?? []), ...ownDeps.map((d) => d.path)],
    ownCacheDependencies: ownDeps,
    properties,
    declarationOrder,
    propertyByName: new Map(properties.map((q) => [q.name, q])),
    storage,
    location,
    raw,
  };
}

function storageOf(p: Pending, root: string, parent: ClassMeta | undefined, descendants: readonly string[]): StorageMeta {
  const rootMeta = parent ? parent.storage : undefined;
  const collection = rootMeta ? rootMeta.collection : p.namespace ? `${p.namespace}_${p.name}` : p.name;
  return {
    rootClass: root,
    collection,
    discriminator: p.canonical,
    discriminators: [p.canonical, ...descendants],
  };
}
