import type { OrgIndex } from '../../organizations/org-index.ts';

export interface OrgOption {
  id: string;
  label: string;
}

/** The main organization an organization belongs to: itself for a client or partner, else the nearest one above its sub-organizations (as the core's org-tree). */
export function mainOf(index: OrgIndex, orgId: string): string {
  let cur = index.byId.get(orgId);
  const seen = new Set<string>();
  while (cur && cur.type === 'suborg' && cur.parentId && index.byId.has(cur.parentId) && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = index.byId.get(cur.parentId);
  }
  return cur?.id ?? orgId;
}

/** An organization and every sub-organization below it, as "Client / Sub / Sub" paths from it, depth-first in name order. */
export function subtreeOptions(index: OrgIndex, rootId: string): OrgOption[] {
  const root = index.byId.get(rootId);
  if (!root) return [];
  const out: OrgOption[] = [];
  const walk = (id: string, path: string) => {
    out.push({ id, label: path });
    for (const child of index.children.get(id) ?? []) {
      if (child.type === 'suborg') walk(child.id, `${path} / ${child.name}`);
    }
  };
  walk(root.id, root.name);
  return out;
}
