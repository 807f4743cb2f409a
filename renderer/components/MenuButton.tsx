import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  onSelect(): void;
  disabled?: boolean;
  /** Why the item is disabled: its tooltip and its accessible description (shown under the label too). */
  disabledReason?: string;
}

interface MenuButtonProps {
  label: ReactNode;
  items: MenuItem[];
  className?: string;
  disabled?: boolean;
  align?: 'start' | 'end';
}

/**
 * A button that opens a menu (WAI-ARIA menu button): Enter/Space/↓ open it on the first item,
 * ↑ ↓ Home End move, Enter activates, Esc or Tab closes and gives focus back to the button.
 */
export function MenuButton({ label, items, className, disabled, align = 'start' }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (!open) return;
    itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const n = items.length;
    if (e.key === 'ArrowDown') setActive((a) => (a + 1) % n);
    else if (e.key === 'ArrowUp') setActive((a) => (a - 1 + n) % n);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(n - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="menu-wrap">
      <button
        ref={buttonRef}
        type="button"
        className={className ?? 'button'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => {
          setActive(0);
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive(e.key === 'ArrowDown' ? 0 : items.length - 1);
            setOpen(true);
          }
        }}
      >
        {label}
        <span className="menu-caret" aria-hidden="true">▾</span>
      </button>
      {open && (
        <div ref={menuRef} id={menuId} role="menu" className={`menu menu-${align}`} onKeyDown={onMenuKey}>
          {items.map((item, i) => {
            // aria-disabled (not disabled): the item stays reachable with the arrows, and says why it is off.
            const reasonId = `${menuId}-${item.id}-reason`;
            const labelId = `${menuId}-${item.id}-label`;
            return (
              <button
                key={item.id}
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                className={`menu-item ${item.disabled ? 'is-disabled' : ''}`}
                aria-disabled={item.disabled || undefined}
                aria-labelledby={labelId}
                aria-describedby={item.disabled && item.disabledReason ? reasonId : undefined}
                title={item.disabled ? item.disabledReason : undefined}
                onClick={() => {
                  if (item.disabled) return;
                  close();
                  item.onSelect();
                }}
              >
                <span id={labelId} className="menu-item-label">{item.label}</span>
                {item.disabled && item.disabledReason && <span id={reasonId} className="menu-item-reason">{item.disabledReason}</span>}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
