import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { visibleRows, type OrgIndex } from './org-index.ts';
import { OrgSyncDot } from '../sync/OrgSyncDot.tsx';

interface OrgTreeProps {
  index: OrgIndex;
  currentId: string | null;
  onSelect(id: string): void;
}

const ROW_HEIGHT = 30;
const rowId = (id: string) => `tree-${id}`;

/**
 * The sidebar tree: virtualized (only visible rows are in the DOM), keyboard navigable as a WAI-ARIA
 * tree (↑ ↓ move, → expand / first child, ← collapse / parent, Home / End, Enter selects).
 */
export function OrgTree({ index, currentId, onSelect }: OrgTreeProps) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(index.roots.map((r) => r.id)));
  const [activeId, setActiveId] = useState<string | null>(currentId);
  const scrollRef = useRef<HTMLDivElement>(null);

  // Keep the current organization visible: open its ancestors when it changes.
  const [shownFor, setShownFor] = useState<string | null>(null);
  if (currentId && currentId !== shownFor && index.byId.has(currentId)) {
    setShownFor(currentId);
    const missing = index.ancestors(currentId).filter((a) => !expanded.has(a));
    if (missing.length) setExpanded(new Set([...expanded, ...missing]));
    setActiveId(currentId);
  }

  const rows = useMemo(() => visibleRows(index, expanded), [index, expanded]);
  const rowIndex = useMemo(() => new Map(rows.map((r, i) => [r.id, i])), [rows]);
  const activeIndex = activeId !== null ? (rowIndex.get(activeId) ?? -1) : -1;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  useEffect(() => {
    if (shownFor) {
      const i = rowIndex.get(shownFor);
      if (i !== undefined) virtualizer.scrollToIndex(i, { align: 'auto' });
    }
    // Only when the current organization changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownFor]);

  const toggle = (id: string, open?: boolean) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      const willOpen = open ?? !prev.has(id);
      if (willOpen) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const moveTo = (i: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
    if (!row) return;
    setActiveId(row.id);
    virtualizer.scrollToIndex(rowIndex.get(row.id)!, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const active = activeIndex >= 0 ? rows[activeIndex] : undefined;
    const hasChildren = active ? (index.children.get(active.id)?.length ?? 0) > 0 : false;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex <= 0 ? 0 : activeIndex - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!active) return moveTo(0);
        if (hasChildren && !expanded.has(active.id)) toggle(active.id, true);
        else if (hasChildren) moveTo(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (!active) return;
        if (hasChildren && expanded.has(active.id)) toggle(active.id, false);
        else if (active.parentId && rowIndex.has(active.parentId)) moveTo(rowIndex.get(active.parentId)!);
        break;
      case 'Enter':
      case ' ':
        if (active) onSelect(active.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="tree"
      role="tree"
      aria-label={t('ui.sidebar.tree')}
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 ? rowId(rows[activeIndex]!.id) : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (activeIndex < 0 && rows.length) setActiveId(currentId && rowIndex.has(currentId) ? currentId : rows[0]!.id);
      }}
    >
      <div className="tree-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const node = rows[v.index]!;
          const kids = index.children.get(node.id)?.length ?? 0;
          const isOpen = expanded.has(node.id);
          return (
            <div
              key={node.id}
              id={rowId(node.id)}
              role="treeitem"
              aria-level={node.depth + 1}
              aria-setsize={(node.parentId ? index.children.get(node.parentId) : index.roots)?.length}
              aria-posinset={((node.parentId ? index.children.get(node.parentId) : index.roots)?.indexOf(node) ?? 0) + 1}
              aria-expanded={kids > 0 ? isOpen : undefined}
              aria-selected={node.id === currentId}
              className={`tree-row ${node.id === currentId ? 'is-current' : ''} ${v.index === activeIndex ? 'is-active' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, paddingLeft: 8 + node.depth * 16 }}
              onClick={() => {
                setActiveId(node.id);
                onSelect(node.id);
              }}
            >
              <span
                className={`tree-twisty ${kids ? '' : 'is-leaf'}`}
                aria-hidden="true"
                title={kids ? (isOpen ? t('ui.sidebar.collapse') : t('ui.sidebar.expand')) : undefined}
                onClick={(e) => {
                  if (!kids) return;
                  e.stopPropagation();
                  toggle(node.id);
                }}
              >
                {kids ? (isOpen ? '▾' : '▸') : ''}
              </span>
              <span className={`type-dot type-dot-${node.type}`} aria-hidden="true" />
              <span className="tree-name">{node.name}</span>
              <OrgSyncDot orgId={node.id} />
              {kids > 0 && <span className="tree-count" aria-hidden="true">{kids}</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
