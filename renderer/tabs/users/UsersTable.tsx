import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { UserRow } from '../../../shared/model/user.ts';
import { useFormat } from '../../i18n/format.ts';
import { isSelected, type Selection } from './selection.ts';
import { SourceLabel, StatusBadge } from './user-labels.tsx';

export const ROW_HEIGHT = 44;
const HEADER_HEIGHT = 36;

export type SortKey = 'name' | 'email' | 'role' | 'organization' | 'status' | 'source' | 'createdAt' | 'lastLogin';

interface Column {
  id: string;
  sort?: SortKey;
  /** Minimum width in px; columns with `grow` share the room left in wide windows. */
  width: number;
  grow?: number;
  sticky?: boolean;
}

const COLUMNS: Column[] = [
  { id: 'select', width: 40, sticky: true },
  { id: 'name', sort: 'name', width: 190, grow: 3, sticky: true },
  { id: 'email', sort: 'email', width: 250, grow: 4 },
  { id: 'role', sort: 'role', width: 180, grow: 1 },
  { id: 'organization', sort: 'organization', width: 170, grow: 2 },
  { id: 'status', sort: 'status', width: 118 },
  { id: 'signIn', width: 146 },
  { id: 'emailLogin', width: 110 },
  { id: 'source', sort: 'source', width: 100 },
  { id: 'createdBy', sort: 'createdAt', width: 140 },
  { id: 'updatedBy', width: 140 },
  { id: 'lastLogin', width: 150, sort: 'lastLogin' },
];
const BASE_WIDTH = COLUMNS.reduce((n, c) => n + c.width, 0);
const GROW_TOTAL = COLUMNS.reduce((n, c) => n + (c.grow ?? 0), 0);

/** Fixed pixel tracks (every row is its own grid, so they must not depend on the row's content). */
function columnTracks(available: number): { template: string; width: number } {
  const extra = Math.max(0, Math.floor(available - BASE_WIDTH));
  const widths = COLUMNS.map((c) => c.width + (c.grow ? Math.floor((extra * c.grow) / GROW_TOTAL) : 0));
  return { template: widths.map((w) => `${w}px`).join(' '), width: widths.reduce((a, b) => a + b, 0) };
}

interface UsersTableProps {
  total: number;
  rowAt(index: number): UserRow | undefined;
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort(sort: SortKey): void;
  selection: Selection;
  selectedCount: number;
  onToggle(index: number, user: UserRow, range: boolean): void;
  onToggleAll(): void;
  onOpen(user: UserRow): void;
  onVisibleRange(start: number, end: number): void;
  label: string;
  /** Changes when the filters or the sort change: the list starts again from the top. */
  resetKey: string;
}

const rowDomId = (index: number) => `users-row-${index}`;

/**
 * The users grid: virtualized (only the rows in view, plus a few, are in the DOM), rows read in
 * pages as they come into view. Keyboard: ↑ ↓ PageUp PageDown Home End move the row focus, Space
 * ticks the focused row (Shift+Space ticks the range from the last ticked one), Enter opens it.
 */
export function UsersTable(props: UsersTableProps) {
  const { total, rowAt, sort, dir, onSort, selection, selectedCount, onToggle, onToggleAll, onOpen, onVisibleRange, label, resetKey } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  const [available, setAvailable] = useState(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setAvailable(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);
  const { template: GRID_TEMPLATE, width: rowWidth } = useMemo(() => columnTracks(available), [available]);
  const activeIndex = Math.min(active, total - 1);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const rangeStart = items[0]?.index ?? 0;
  const rangeEnd = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    onVisibleRange(rangeStart, rangeEnd);
  }, [rangeStart, rangeEnd, onVisibleRange]);

  const moveTo = (i: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, i));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys inside a focused control are its own
    const user = activeIndex >= 0 ? rowAt(activeIndex) : undefined;
    switch (e.key) {
      case 'ArrowDown': moveTo(activeIndex + 1); break;
      case 'ArrowUp': moveTo(activeIndex <= 0 ? 0 : activeIndex - 1); break;
      case 'PageDown': moveTo(activeIndex + pageRows); break;
      case 'PageUp': moveTo(activeIndex - pageRows); break;
      case 'Home': moveTo(0); break;
      case 'End': moveTo(total - 1); break;
      case ' ':
        if (user) onToggle(activeIndex, user, e.shiftKey);
        break;
      case 'Enter':
        if (user) onOpen(user);
        break;
      case 'a':
        if (!(e.ctrlKey || e.metaKey)) return;
        onToggleAll();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const allChecked = total > 0 && selectedCount >= total;
  const someChecked = selectedCount > 0 && !allChecked;

  return (
    <div
      ref={scrollRef}
      className="users-grid"
      role="grid"
      aria-label={label}
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 ? rowDomId(activeIndex) : undefined}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === e.currentTarget && activeIndex < 0 && total > 0) setActive(rangeStart);
      }}
    >
      <div className="users-head" role="rowgroup">
        <div className="users-row users-head-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID_TEMPLATE, width: rowWidth, height: HEADER_HEIGHT }}>
          {COLUMNS.map((col, ci) => {
            if (col.id === 'select') {
              return (
                <div key={col.id} role="columnheader" aria-colindex={ci + 1} className="users-cell users-cell-select is-sticky">
                  <input
                    type="checkbox"
                    className="checkbox"
                    tabIndex={-1}
                    checked={allChecked}
                    ref={(el) => {
                      if (el) el.indeterminate = someChecked;
                    }}
                    onChange={onToggleAll}
                    aria-label={t('ui.users.selectAllMatching', { count: total, n: format.number(total) })}
                    disabled={total === 0}
                  />
                </div>
              );
            }
            const sorted = col.sort === sort;
            return (
              <div
                key={col.id}
                role="columnheader"
                aria-colindex={ci + 1}
                aria-sort={col.sort ? (sorted ? (dir === 'asc' ? 'ascending' : 'descending') : 'none') : undefined}
                className={`users-cell ${col.sticky ? 'is-sticky users-cell-name' : ''}`}
              >
                {col.sort ? (
                  <button type="button" tabIndex={-1} className={`sort-button ${sorted ? 'is-sorted' : ''}`} onClick={() => onSort(col.sort!)}>
                    <span>{t(`ui.users.columns.${col.id}`)}</span>
                    <span className="sort-arrow" aria-hidden="true">{sorted ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                  </button>
                ) : (
                  <span className="users-head-label">{t(`ui.users.columns.${col.id}`)}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="users-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() - HEADER_HEIGHT, width: rowWidth }}>
        {items.map((v) => {
          const user = rowAt(v.index);
          const top = v.start - HEADER_HEIGHT;
          const isActive = v.index === activeIndex;
          if (!user) {
            return (
              <div
                key={v.key}
                id={rowDomId(v.index)}
                role="row"
                aria-rowindex={v.index + 2}
                aria-busy="true"
                className={`users-row is-placeholder ${isActive ? 'is-active' : ''}`}
                style={{ gridTemplateColumns: GRID_TEMPLATE, width: rowWidth, height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
              >
                <div role="gridcell" className="users-cell users-cell-select is-sticky" />
                <div role="gridcell" className="users-cell users-cell-name is-sticky"><span className="skeleton skeleton-name" /><span className="visually-hidden">{t('ui.users.loadingRow')}</span></div>
                <div role="gridcell" className="users-cell"><span className="skeleton" /></div>
                <div role="gridcell" className="users-cell"><span className="skeleton skeleton-short" /></div>
              </div>
            );
          }
          const checked = isSelected(selection, user.id);
          const onRowClick = (e: MouseEvent) => {
            setActive(v.index);
            if (e.detail === 2) onOpen(user);
            scrollRef.current?.focus({ preventScroll: true });
          };
          return (
            <div
              key={v.key}
              id={rowDomId(v.index)}
              role="row"
              aria-rowindex={v.index + 2}
              aria-selected={checked}
              data-user-id={user.id}
              className={`users-row ${checked ? 'is-selected' : ''} ${isActive ? 'is-active' : ''} ${user.status !== 'active' ? `is-${user.status}` : ''}`}
              style={{ gridTemplateColumns: GRID_TEMPLATE, width: rowWidth, height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
              onClick={onRowClick}
            >
              <div role="gridcell" className="users-cell users-cell-select is-sticky" onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  className="checkbox"
                  tabIndex={-1}
                  checked={checked}
                  aria-label={t('ui.users.selectUser', { name: user.name })}
                  onChange={() => undefined}
                  onClick={(e) => {
                    setActive(v.index);
                    onToggle(v.index, user, e.shiftKey);
                  }}
                />
              </div>
              <div role="gridcell" className="users-cell users-cell-name is-sticky">
                <button
                  type="button"
                  tabIndex={-1}
                  className="link-button users-name"
                  onClick={(e) => {
                    e.stopPropagation();
                    setActive(v.index);
                    onOpen(user);
                  }}
                >
                  {user.name}
                </button>
              </div>
              <div role="gridcell" className="users-cell users-ellipsis" title={user.email}>{user.email}</div>
              <div role="gridcell" className="users-cell users-ellipsis">{user.roleName}</div>
              <div role="gridcell" className="users-cell users-ellipsis" title={user.orgName}>{user.orgName}</div>
              <div role="gridcell" className="users-cell"><StatusBadge status={user.status} /></div>
              <div role="gridcell" className="users-cell users-ellipsis">{t(`ui.users.signIn.${user.signIn}`)}</div>
              <div role="gridcell" className="users-cell">
                <span className={`yes-no ${user.emailLoginEnabled ? 'is-yes' : 'is-no'}`}>
                  {user.emailLoginEnabled ? t('ui.users.yes') : t('ui.users.no')}
                </span>
              </div>
              <div role="gridcell" className="users-cell"><SourceLabel source={user.source} /></div>
              <div role="gridcell" className="users-cell users-stack">
                <span className="users-ellipsis">{user.createdBy?.name ?? t('ui.users.unknownActor')}</span>
                <time className="muted small" dateTime={user.createdAt}>{format.shortDate(user.createdAt)}</time>
              </div>
              <div role="gridcell" className="users-cell users-stack">
                <span className="users-ellipsis">{user.updatedBy?.name ?? t('ui.users.unknownActor')}</span>
                <time className="muted small" dateTime={user.updatedAt}>{format.shortDate(user.updatedAt)}</time>
              </div>
              <div role="gridcell" className="users-cell users-ellipsis">
                {user.lastLoginAt ? <time dateTime={user.lastLoginAt}>{format.dateTime(user.lastLoginAt)}</time> : <span className="muted">{t('ui.users.never')}</span>}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
