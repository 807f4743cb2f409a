import { useEffect, useRef } from 'react';

/** Ctrl+S / Cmd+S runs `save` from anywhere on the page (the latest `save`, without re-binding). */
export function useSaveShortcut(save: () => unknown): void {
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
