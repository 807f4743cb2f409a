import type { OrgSummary } from '../../shared/model/organization.ts';
import { fold } from '../../shared/rules/text.ts';

export interface OrgNode extends OrgSummary {
  folded: string;
  depth: number;
}

export interface OrgIndex {
  size: number;
  byId: Map<string, OrgNode>;
  /** Children in name order; key null = the top level. */
  children: Map<string | null, OrgNode[]>;
  roots: OrgNode[];
  firstPartner: OrgNode | null;
  /** Names from the top down to (not including) the organization. */
  parentPath(id: string): string[];
  ancestors(id: string): string[];
  search(query: string, limit: number): { items: OrgNode[]; total: number };
}

/**
 * The whole tree, built once in the browser from `org.tree`'s flat list (already in name order),
 * so switching, filtering and browsing never wait for the core, even with many thousands.
 */
export function buildOrgIndex(items: readonly OrgSummary[]): OrgIndex {
  const byId = new Map<string, OrgNode>();
  for (const item of items) byId.set(item.id, { ...item, folded: fold(item.name), depth: 0 });
  const children = new Map<string | null, OrgNode[]>();
  for (const node of byId.values()) {
    const parent = node.parentId !== null && byId.has(node.parentId) ? node.parentId : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(node);
  }
  const roots = children.get(null) ?? [];
  const stack: OrgNode[] = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    for (const child of children.get(node.id) ?? []) {
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
  const pathCache = new Map<string, string[]>();
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    let cur = byId.get(id);
    const seen = new Set<string>();
    while (cur && cur.parentId && byId.has(cur.parentId) && !seen.has(cur.parentId)) {
      seen.add(cur.parentId);
      out.unshift(cur.parentId);
      cur = byId.get(cur.parentId);
    }
    return out;
  };
  return {
    size: byId.size,
    byId,
    children,
    roots,
    firstPartner: roots.find((r) => r.type === 'partner') ?? roots[0] ?? null,
    ancestors,
    parentPath(id) {
      let path = pathCache.get(id);
      if (!path) {
        path = ancestors(id).map((a) => byId.get(a)!.name);
        pathCache.set(id, path);
      }
      return path;
    },
    search(query, limit) {
      const q = fold(query);
      if (!q) return { items: [], total: 0 };
      const tokens = q.split(/\s+/).filter(Boolean);
      const ranked: [number, OrgNode][] = [];
      for (const node of byId.values()) {
        const name = node.folded;
        if (!tokens.every((tk) => name.includes(tk))) continue;
        const rank = name.startsWith(q) ? 0 : name.includes(` ${tokens[0]}`) ? 1 : 2;
        ranked.push([rank, node]);
      }
      // Map iteration follows org.tree's name order, and sort is stable.
      ranked.sort((a, b) => a[0] - b[0]);
      return { items: ranked.slice(0, limit).map((r) => r[1]), total: ranked.length };
    },
  };
}

/** Rows of the tree as shown: depth-first, children only under expanded nodes. */
export function visibleRows(index: OrgIndex, expanded: ReadonlySet<string>): OrgNode[] {
  const rows: OrgNode[] = [];
  const walk = (nodes: OrgNode[]) => {
    for (const node of nodes) {
      rows.push(node);
      if (expanded.has(node.id)) walk(index.children.get(node.id) ?? []);
    }
  };
  walk(index.roots);
  return rows;
}
