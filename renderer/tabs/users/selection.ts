/**
 * Which users are selected: a set of ids, or "all N matching the filters" minus the ones the person
 * unticked afterwards (so selecting 100,000 users does not need their ids until an action runs).
 */
export type Selection =
  | { all: false; ids: ReadonlySet<string> }
  | { all: true; except: ReadonlySet<string> };

export const NONE: Selection = { all: false, ids: new Set() };
export const ALL: Selection = { all: true, except: new Set() };

export function isSelected(sel: Selection, id: string): boolean {
  return sel.all ? !sel.except.has(id) : sel.ids.has(id);
}

export function selectedCount(sel: Selection, total: number): number {
  return sel.all ? Math.max(0, total - sel.except.size) : sel.ids.size;
}

/** Tick or untick some ids. */
export function setSelected(sel: Selection, ids: readonly string[], on: boolean): Selection {
  if (sel.all) {
    const except = new Set(sel.except);
    for (const id of ids) {
      if (on) except.delete(id);
      else except.add(id);
    }
    return { all: true, except };
  }
  const next = new Set(sel.ids);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return { all: false, ids: next };
}

export function toggle(sel: Selection, id: string): Selection {
  return setSelected(sel, [id], !isSelected(sel, id));
}
