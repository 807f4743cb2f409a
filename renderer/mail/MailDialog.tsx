import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog.tsx';
import { usePanels } from '../state/session.ts';
import { MailSettingsForm } from './MailSettingsForm.tsx';
import { OutboxView } from './OutboxView.tsx';

const VIEWS = ['settings', 'outbox'] as const;
type View = (typeof VIEWS)[number];

/** App-level Email delivery: the SMTP settings every organization's emails go through, and the outbox. */
export function MailDialog() {
  const { t } = useTranslation();
  const view = usePanels((s) => s.mail) ?? 'settings';
  const openMail = usePanels((s) => s.openMail);
  const refs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({});
  const close = () => openMail(null);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = VIEWS.indexOf(view);
    const next = e.key === 'Home' ? VIEWS[0] : e.key === 'End' ? VIEWS[VIEWS.length - 1]! : VIEWS[(i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    openMail(next);
    refs.current[next]?.focus();
  };

  return (
    <Dialog title={t('ui.mail.title')} onClose={close} className="dialog-mail" initialFocus={`#mail-tab-${view}`}>
      <div role="tablist" aria-label={t('ui.mail.title')} className="tabs dialog-tabs" onKeyDown={onKeyDown}>
        {VIEWS.map((id) => (
          <button
            key={id}
            ref={(el) => {
              refs.current[id] = el;
            }}
            type="button"
            role="tab"
            id={`mail-tab-${id}`}
            aria-selected={view === id}
            aria-controls={`mail-panel-${id}`}
            tabIndex={view === id ? 0 : -1}
            className={`tab ${view === id ? 'is-selected' : ''}`}
            onClick={() => openMail(id)}
          >
            {t(`ui.mail.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`mail-panel-${view}`} aria-labelledby={`mail-tab-${view}`} className="dialog-tabpanel">
        {view === 'settings' ? <MailSettingsForm onDone={close} /> : <OutboxView />}
      </div>
    </Dialog>
  );
}
