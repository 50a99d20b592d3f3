/**
 * `recalc graph [--meta DIR] [--format mermaid|dot|json|text] [--class C]`: the dependency graph for
 * people — which class's changes recompute which cached values, inferred from the formulas and
 * declared in `cacheDependencies`, told apart.
 */
import type { Command } from 'commander';
import { openMeta, type DependencyGraph, type MetaModel } from '../../meta/index.ts';
import { CliError, type CliIo } from '../io.ts';
import { metaDirOption } from './check.ts';

type Format = 'mermaid' | 'dot' | 'json' | 'text';

/** One arrow of the picture: changes of `from` recompute something on `to`. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'inferred' | 'undeclared' | 'declared' | 'unneeded';
  readonly label: string;
}

export function registerGraph(program: Command, io: CliIo): void {
  program
    .command('graph')
    .description('show which changes recompute which cached values (inferred from formulas vs declared cacheDependencies)')
    .option('--meta <dir>', 'directory of *.class.json files (searched recursively)', 'meta')
    .option('--namespace <ns>', 'namespace of classes that name none')
    .option('--format <format>', 'mermaid, dot, json or text (what each cached value reads, then the cascades)', 'mermaid')
    .option('--class <name>', 'only what touches this class (name or name@namespace)')
    .action((opts: { meta: string; namespace?: string; format: string; class?: string }) => {
      if (!['mermaid', 'dot', 'json', 'text'].includes(opts.format)) throw new CliError(`--format must be mermaid, dot, json or text, not ${opts.format}`, 2);
      const meta = openMeta(metaDirOption(opts.meta), opts.namespace ? { namespace: opts.namespace } : {});
      const only = opts.class === undefined ? undefined : resolveClass(meta, opts.class);
      const format = opts.format as Format;
      if (format === 'json') {
        io.out(JSON.stringify(toJson(meta.graph, only), null, 2));
        return;
      }
      if (format === 'text') {
        io.out(toText(meta.graph, only));
        return;
      }
      const edges = edgesOf(meta.graph).filter((e) => !only || e.from === only || e.to === only);
      io.out(format === 'dot' ? toDot(meta, edges) : toMermaid(meta, edges));
    });
}

function resolveClass(meta: MetaModel, name: string): string {
  const exact = meta.repository.classes.get(name);
  if (exact) return exact.canonicalName;
  const byName = meta.repository.list().filter((c) => c.name === name);
  if (byName.length === 1) return byName[0]!.canonicalName;
  throw new CliError(byName.length > 1 ? `--class ${name} is ambiguous: ${byName.map((c) => c.canonicalName).join(', ')}` : `--class: no class ${name}`, 2);
}

/** Inferred edges grouped by (changed class, target class), then the declared ones. */
function edgesOf(graph: DependencyGraph): Edge[] {
  const undeclared = new Set(graph.undeclared.flatMap((u) => u.fields.map((f) => `${u.class}|${f}|${u.target.class}|${u.target.attribute}`)));
  const groups = new Map<string, { from: string; to: string; stale: boolean; items: Set<string> }>();
  for (const t of graph.triggers) {
    if (t.reverse.length === 0) continue; // within one object: not a cascade
    const key = `${t.class}|${t.target.class}`;
    const g = groups.get(key) ?? { from: t.class, to: t.target.class, stale: false, items: new Set<string>() };
    g.items.add(`${t.field} → ${t.target.attribute}`);
    if (t.reverse.length > 0 && undeclared.has(`${t.class}|${t.field}|${t.target.class}|${t.target.attribute}`)) g.stale = true;
    groups.set(key, g);
  }
  const edges: Edge[] = [...groups.values()].map((g) => ({ from: g.from, to: g.to, kind: g.stale ? 'undeclared' : 'inferred', label: [...g.items].sort().join(', ') }));
  for (const d of graph.declared) edges.push({ from: d.class, to: d.reaches, kind: d.needed ? 'declared' : 'unneeded', label: `cacheDependencies: ${d.path}` });
  return edges;
}

function nodeIds(meta: MetaModel, edges: readonly Edge[]): Map<string, string> {
  const classes = new Set(edges.flatMap((e) => [e.from, e.to]));
  const ids = new Map<string, string>();
  for (const c of meta.repository.list()) if (classes.has(c.canonicalName)) ids.set(c.canonicalName, `c${ids.size}`);
  return ids;
}

function nodeLabel(meta: MetaModel, cls: string, newline: string): string {
  const cached = meta.graph.targets.filter((t) => t.class === cls).map((t) => t.attribute);
  return cached.length > 0 ? `${cls}${newline}cached: ${cached.join(', ')}` : cls;
}

const quote = (text: string): string => text.replace(/"/g, "'");

function toMermaid(meta: MetaModel, edges: readonly Edge[]): string {
  const ids = nodeIds(meta, edges);
  const lines = ['flowchart LR'];
  for (const [cls, id] of ids) lines.push(`  ${id}["${quote(nodeLabel(meta, cls, '<br/>'))}"]`);
  for (const e of edges) {
    const from = ids.get(e.from)!;
    const to = ids.get(e.to)!;
    const label = quote(`${e.kind}: ${e.label}`);
    // inferred: solid; undeclared (ION leaves it stale): thick; declared: dotted.
    const arrow = e.kind === 'undeclared' ? `==>|"${label}"|` : e.kind === 'inferred' ? `-->|"${label}"|` : `-.->|"${label}"|`;
    lines.push(`  ${from} ${arrow} ${to}`);
  }
  if (edges.length === 0) lines.push('  %% no dependencies between classes');
  lines.push('  %% solid: inferred from formulas (and declared) · thick: inferred, not declared (ION leaves stale) · dotted: declared cacheDependencies');
  return lines.join('\n');
}

function toDot(meta: MetaModel, edges: readonly Edge[]): string {
  const ids = nodeIds(meta, edges);
  const lines = ['digraph dependencies {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [cls, id] of ids) lines.push(`  ${id} [label="${quote(nodeLabel(meta, cls, '\\n'))}"];`);
  const style: Record<Edge['kind'], string> = {
    inferred: 'style=solid',
    undeclared: 'style=bold, color=red',
    declared: 'style=dashed, color=blue',
    unneeded: 'style=dashed, color=gray',
  };
  for (const e of edges) lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [label="${quote(`${e.kind}: ${e.label}`)}", ${style[e.kind]}];`);
  lines.push('}');
  return lines.join('\n');
}

function toJson(graph: DependencyGraph, only: string | undefined): unknown {
  const touches = (...classes: string[]): boolean => !only || classes.includes(only);
  return {
    targets: graph.targets.filter((t) => touches(t.class, ...t.reads.map((r) => r.class))),
    triggers: graph.triggers.filter((t) => touches(t.class, t.target.class)),
    declared: graph.declared.filter((d) => touches(d.class, d.reaches)),
    undeclared: graph.undeclared.filter((u) => touches(u.class, u.target.class)),
  };
}

const short = (name: string): string => name.split('@')[0]!;

/** For people: each cached value with what it reads, then every cascade with its reverse path. */
function toText(graph: DependencyGraph, only: string | undefined): string {
  const lines: string[] = [];
  const undeclared = new Set(graph.undeclared.flatMap((u) => u.fields.map((f) => `${u.class}|${f}|${u.target.class}|${u.target.attribute}`)));
  for (const t of graph.targets) {
    if (only && t.class !== only && !t.reads.some((r) => r.class === only)) continue;
    lines.push(`${t.class}.${t.attribute}${t.kind === 'semantic' ? ' (cached semantic)' : ''} reads`);
    for (const r of t.reads) lines.push(`  ${short(r.class)}.${r.attribute} [${r.kind}] via ${r.path}`);
  }
  lines.push('', 'cascades (changed field → recomputed value: reverse steps from the changed object)');
  for (const t of graph.triggers) {
    if (t.reverse.length === 0 || (only && t.class !== only && t.target.class !== only)) continue;
    const stale = undeclared.has(`${t.class}|${t.field}|${t.target.class}|${t.target.attribute}`) ? '  [not declared: stale in ION]' : '';
    const steps = t.reverse.map((s) => (s.kind === 'classScan' ? `classScan(${short(s.to)})` : `${s.kind}(${short(s.to)}.${s.field})`)).join(' < ');
    lines.push(`  ${short(t.class)}.${t.field} → ${short(t.target.class)}.${t.target.attribute}: ${steps}${stale}`);
  }
  lines.push('', 'declared cacheDependencies');
  for (const d of graph.declared) {
    if (only && d.class !== only && d.reaches !== only) continue;
    lines.push(`  ${short(d.class)}: "${d.path}" → ${short(d.reaches)}${d.needed ? '' : '  [not needed by any formula]'}`);
  }
  return lines.join('\n');
}

