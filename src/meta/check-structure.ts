/**
 * Structural checks of the loaded classes: keys, link targets, `backRef` and `backColl` pairs.
 * Each problem is reported once, in the file that declares the offending definition.
 */
import type { ClassMeta, PropertyMeta } from './model.ts';
import { PropertyType } from './property-types.ts';
import type { MetaRepository } from './repository.ts';
import { MetaCodes, type DiagnosticSink } from './sink.ts';

export function checkStructure(repo: MetaRepository, sink: DiagnosticSink): void {
  for (const cls of repo.list()) {
    checkKey(cls, sink);
    for (const property of cls.properties) {
      if (property.declaredIn !== cls.canonicalName) continue;
      checkLink(repo, cls, property, sink);
    }
  }
}

function checkKey(cls: ClassMeta, sink: DiagnosticSink): void {
  const scope = { file: cls.location.file, pointer: '/key', className: cls.canonicalName };
  if (cls.key.length === 0) {
    // Abstract classes are never stored, but their descendants inherit the key: still required.
    sink.error(MetaCodes.missingKey, `class ${cls.canonicalName} has no key (own or inherited)`, scope);
    return;
  }
  for (const name of cls.key) {
    if (!cls.propertyByName.has(name)) {
      sink.error(MetaCodes.unknownKeyAttribute, `key attribute ${name} is not an attribute of ${cls.canonicalName}`, scope);
    }
  }
}

function checkLink(repo: MetaRepository, cls: ClassMeta, property: PropertyMeta, sink: DiagnosticSink): void {
  const link = property.link;
  if (!link) return;
  const base = property.location.pointer;
  const scope = { file: property.location.file, className: cls.canonicalName, attribute: property.name };
  const field = property.type === PropertyType.COLLECTION ? 'itemsClass' : 'refClass';
  if (!link.target) {
    // The schema already reports a missing refClass/itemsClass; here: one that names no class.
    if (link.targetAsWritten) {
      sink.error(
        field === 'itemsClass' ? MetaCodes.unknownItemsClass : MetaCodes.unknownRefClass,
        `${field} ${link.targetAsWritten} is not a known class`,
        { ...scope, pointer: `${base}/${field}` },
      );
    }
    return;
  }
  const target = repo.get(link.target);
  if (link.backRef) {
    const back = target.propertyByName.get(link.backRef);
    if (!back) {
      sink.error(MetaCodes.unknownBackRef, `backRef ${link.backRef}: class ${target.canonicalName} has no attribute ${link.backRef}`, {
        ...scope,
        pointer: `${base}/backRef`,
      });
      return;
    }
    // With `binding` the back attribute holds a value of ours, not our key: any type will do.
    if (link.binding) return;
    const pointsHere = back.link && back.link.kind !== 'struct' && back.link.target && repo.related(back.link.target, cls.canonicalName);
    if (!pointsHere) {
      const what = back.link?.target ? `points to ${back.link.target}` : 'is not a reference';
      sink.error(
        MetaCodes.backRefNotPointingBack,
        `backRef ${link.backRef}: ${target.canonicalName}.${link.backRef} ${what}, not back to ${cls.canonicalName}`,
        { ...scope, pointer: `${base}/backRef` },
      );
    }
  }
  if (link.mirror) {
    const mirror = target.propertyByName.get(link.mirror);
    const ok = mirror && mirror.type === PropertyType.COLLECTION && mirror.link?.target && repo.related(mirror.link.target, cls.canonicalName);
    if (!ok) {
      const why = mirror ? `is not a collection of ${cls.canonicalName}` : 'does not exist';
      sink.error(MetaCodes.unknownBackColl, `backColl ${link.mirror}: ${target.canonicalName}.${link.mirror} ${why}`, {
        ...scope,
        pointer: `${base}/backColl`,
      });
    }
  }
}
