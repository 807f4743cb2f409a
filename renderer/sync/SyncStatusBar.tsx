/** The header's sync indicator: state, waiting changes, conflicts to review; opens the sync panel. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncPanel } from './SyncPanel.tsx';
import { useSyncOnFocus, useSyncStatus } from './use-sync.ts';

export function SyncStatusBar() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const [open, setOpen] = useState(false);
  const s = status.data;
  useSyncOnFocus(Boolean(s && s.state !== 'standalone'));
  if (!s) return null;
  return (
    <>
      <button type="button" className={`header-tool sync-indicator sync-${s.state}`} onClick={() => setOpen(true)} data-testid="sync-indicator">
        <span className="sync-dot" aria-hidden="true" />
        <span className="header-tool-label">
          {s.state === 'incompatible' && s.updateNeeded
            ? t(s.updateNeeded === 'portal' ? 'ui.sync.updatePortal' : 'ui.sync.updateConsole')
            : t(`ui.sync.states.${s.state}`)}
        </span>
        {s.pending > 0 && <span className="sync-pending">{t('ui.sync.pending', { count: s.pending })}</span>}
        {s.conflicts > 0 && <span className="sync-badge" data-testid="sync-conflicts-badge">{t('ui.sync.conflictsBadge', { count: s.conflicts })}</span>}
      </button>
      {open && <SyncPanel status={s} onClose={() => setOpen(false)} />}
    </>
  );
}
