import { useDeferredValue, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog.tsx';
import { TypeBadge } from '../components/Badge.tsx';
import { useSession } from '../state/session.ts';
import type { OrgIndex, OrgNode } from './org-index.ts';

const LIMIT = 50;

interface CommandPaletteProps {
  index: OrgIndex;
  onSelect(id: string): void;
  onClose(): void;
}

/** Ctrl+K: type part of a name (any case, with or without accents), arrows + Enter to switch. */
export function CommandPalette({ index, onSelect, onClose }: CommandPaletteProps) {
  const { t } = useTranslation();
  const recentIds = useSession((s) => s.recent);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const { items, total, mode } = useMemo(() => {
    if (!deferred.trim()) {
      const recent = recentIds.map((id) => index.byId.get(id)).filter((n): n is OrgNode => Boolean(n));
      return { items: recent, total: recent.length, mode: 'recent' as const };
    }
    return { ...index.search(deferred, LIMIT), mode: 'results' as const };
  }, [deferred, index, recentIds]);

  const clamped = Math.min(active, Math.max(0, items.length - 1));
  const optionId = (i: number) => `palette-option-${i}`;

  const choose = (node: OrgNode | undefined) => {
    if (!node) return;
    onSelect(node.id);
    onClose();
  };

  const move = (i: number) => {
    const next = Math.max(0, Math.min(items.length - 1, i));
    setActive(next);
    listRef.current?.querySelector(`#${optionId(next)}`)?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') move(clamped + 1);
    else if (e.key === 'ArrowUp') move(clamped - 1);
    else if (e.key === 'Home' && e.ctrlKey) move(0);
    else if (e.key === 'End' && e.ctrlKey) move(items.length - 1);
    else if (e.key === 'Enter') {
      // Enter acts on what is typed now, even if the deferred list has not caught up yet.
      if (deferred !== query) {
        const fresh = query.trim() ? index.search(query, 1).items[0] : undefined;
        choose(fresh ?? items[clamped]);
      } else choose(items[clamped]);
    } else return;
    e.preventDefault();
  };

  return (
    <Dialog title={t('ui.palette.title')} onClose={onClose} className="dialog-palette" hideHeader initialFocus="input">
      <div className="palette">
        <input
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={items.length ? optionId(clamped) : undefined}
          aria-label={t('ui.palette.placeholder')}
          placeholder={t('ui.palette.placeholder')}
          value={query}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div className="palette-section" id="palette-heading">
          {mode === 'recent' ? t('ui.palette.recent') : t('ui.palette.results')}
        </div>
        <ul className="palette-list" id="palette-list" role="listbox" aria-labelledby="palette-heading" ref={listRef}>
          {items.map((node, i) => {
            const path = index.parentPath(node.id);
            return (
              <li
                key={node.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === clamped}
                className={`palette-option ${i === clamped ? 'is-active' : ''}`}
                onMouseMove={() => i !== clamped && setActive(i)}
                onClick={() => choose(node)}
              >
                <span className="palette-option-main">
                  <span className="palette-option-name">{node.name}</span>
                  <span className="palette-option-path">{path.length ? path.join(' / ') : t('ui.palette.topLevel')}</span>
                </span>
                <TypeBadge type={node.type} />
              </li>
            );
          })}
        </ul>
        {items.length === 0 && (
          <p className="palette-empty">{mode === 'recent' ? t('ui.palette.noRecent') : t('ui.palette.noResults', { query: deferred })}</p>
        )}
        {mode === 'results' && total > LIMIT && <p className="palette-more">{t('ui.palette.more', { count: LIMIT })}</p>}
        <p className="palette-hint" aria-hidden="true">{t('ui.palette.hint')}</p>
      </div>
    </Dialog>
  );
}
