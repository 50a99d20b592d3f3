/**
 * One property object of a class file → `PropertyMeta`, with its link typed (ion-spec §2.6).
 */
import type { LinkMeta, MetaLocation, PropertyMeta } from './model.ts';
import { PropertyType } from './property-types.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * @param resolve canonical name of a class as written in this property (same namespace rules as
 *   the declaring class), `undefined` when no such class is loaded.
 */
export function buildProperty(
  raw: Record<string, unknown>,
  location: MetaLocation,
  declaredIn: string,
  resolve: (written: string) => string | undefined,
): PropertyMeta {
  const type = typeof raw.type === 'number' ? raw.type : -1;
  return {
    name: str(raw.name),
    caption: str(raw.caption) || str(raw.name),
    type,
    orderNumber: typeof raw.orderNumber === 'number' ? raw.orderNumber : 0,
    declaredIn,
    link: linkOf(raw, type, resolve),
    formula: isEmpty(raw.formula) ? undefined : raw.formula,
    cached: raw.cached === true,
    defaultValue: raw.defaultValue,
    semantic: isEmpty(raw.semantic) ? undefined : raw.semantic,
    unique: raw.unique === true,
    indexed: raw.indexed === true,
    nullable: raw.nullable !== false,
    autoassigned: raw.autoassigned === true,
    selectionList: selectionListOf(raw.selectionProvider),
    location,
    raw,
  };
}

function linkOf(raw: Record<string, unknown>, type: number, resolve: (written: string) => string | undefined): LinkMeta | undefined {
  const backRef = str(raw.backRef) || undefined;
  const binding = str(raw.binding) || undefined;
  if (type === PropertyType.REFERENCE || type === PropertyType.STRUCT) {
    const written = str(raw.refClass);
    const kind = type === PropertyType.STRUCT ? 'struct' : backRef ? 'backReference' : 'reference';
    return { kind, target: written ? resolve(written) : undefined, targetAsWritten: written, many: false, ...(backRef && kind === 'backReference' ? { backRef } : {}), ...(binding ? { binding } : {}) };
  }
  if (type === PropertyType.COLLECTION) {
    const written = str(raw.itemsClass);
    const mirror = str(raw.backColl) || undefined;
    const kind = backRef ? 'backRefCollection' : mirror ? 'backColl' : 'idArray';
    return {
      kind,
      target: written ? resolve(written) : undefined,
      targetAsWritten: written,
      many: true,
      ...(backRef ? { backRef } : {}),
      ...(mirror && !backRef ? { mirror } : {}),
      ...(binding ? { binding } : {}),
    };
  }
  return undefined;
}

function selectionListOf(provider: unknown): ReadonlyMap<string, string> | undefined {
  if (typeof provider !== 'object' || provider === null) return undefined;
  const p = provider as Record<string, unknown>;
  if (p.type !== 'SIMPLE' || !Array.isArray(p.list)) return undefined;
  const list = new Map<string, string>();
  for (const item of p.list) {
    if (typeof item === 'object' && item !== null && 'key' in item) {
      list.set(String((item as { key: unknown }).key), String((item as { value?: unknown }).value ?? ''));
    }
  }
  return list;
}
