import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionRow } from '../../../shared/model/identity.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { copySecret } from './clipboard.ts';
import { TOKEN_CLIPBOARD_SECONDS } from '../../../shared/rules/identity.ts';
import { CopyField } from './CopyField.tsx';

/**
 * SCIM provisioning of one connection. The token is shown in full once (enable, rotate); after
 * that the console holds it only in the OS keychain and shows it masked. Reveal fetches it for 30
 * seconds; Copy puts it on the clipboard and clears it after 60 seconds if it is still there. The
 * core audits both; the token itself is kept in this component's state only while shown.
 */
export function ScimPanel({ connection, readOnly }: { connection: ConnectionRow; readOnly: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const enable = useApiMutation('sso.scim.enable');
  const rotate = useApiMutation('sso.scim.rotate');
  const disable = useApiMutation('sso.scim.disable');
  const reveal = useApiMutation('sso.scim.reveal');
  const copy = useApiMutation('sso.scim.copy');
  const [shown, setShown] = useState<{ token: string; until: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [once, setOnce] = useState<{ token: string; endpointUrl: string } | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'disable' | null>(null);
  const scim = connection.scim;

  // The revealed token disappears on its own; a countdown says when.
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= shown.until) setShown(null);
    }, 250);
    return () => clearInterval(timer);
  }, [shown]);
  // Another connection selected: nothing of this one's token stays on screen.
  useEffect(() => () => setShown(null), [connection.id]);

  const onReveal = () => {
    if (shown) { setShown(null); return; }
    reveal.mutate({ id: connection.id }, {
      onSuccess: (r) => { setNow(Date.now()); setShown({ token: r.token, until: Date.now() + r.seconds * 1000 }); },
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  const onCopy = () => {
    copy.mutate({ id: connection.id }, {
      onSuccess: (r) => {
        copySecret(r.token, r.seconds, () => toast.info(t('ui.scimToken.clipboardCleared')))
          .then(() => toast.success(t('ui.scimToken.copiedClears', { n: r.seconds })), () => toast.error(t('common.internal')));
      },
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <section className="panel" aria-labelledby={`scim-title-${connection.id}`} data-testid="scim-panel">
      <div className="panel-header">
        <h2 id={`scim-title-${connection.id}`} className="panel-title">{t('ui.scimToken.title')}</h2>
        <span className={`badge state-badge ${scim.enabled ? 'is-on' : 'is-off'}`}>
          <span className="status-dot" aria-hidden="true" />
          {scim.enabled ? t('ui.sso.scimOn') : t('ui.sso.scimOff')}
        </span>
      </div>
      <p className="muted small">{t('ui.scimToken.help')}</p>
      {connection.kind === 'okta' && <p className="alert alert-info" role="note">{t('ui.scimToken.oktaNote')}</p>}

      {!scim.enabled ? (
        !readOnly && (
          <button
            type="button"
            className="button button-primary"
            disabled={enable.isPending}
            onClick={() => enable.mutate({ id: connection.id }, { onSuccess: (r) => setOnce({ token: r.token, endpointUrl: r.endpointUrl }), onError: (e) => toast.error(errorText(t, e)) })}
          >
            {enable.isPending ? t('ui.scimToken.enabling') : t('ui.scimToken.enable')}
          </button>
        )
      ) : (
        <>
          <CopyField label={t('ui.scimToken.endpoint')} value={scim.endpointUrl ?? ''} testId="scim-endpoint" />
          <div className="field">
            <span className="field-label" id={`scim-token-label-${connection.id}`}>{t('ui.scimToken.token')}</span>
            <div className="copy-row">
              <output className="input mono token-box" aria-labelledby={`scim-token-label-${connection.id}`} data-testid="scim-token">
                {shown ? shown.token : scim.maskedToken}
              </output>
              {!readOnly && (
                <>
                  <button type="button" className="button button-small" disabled={reveal.isPending || !scim.tokenInKeychain} onClick={onReveal} aria-pressed={Boolean(shown)}>
                    {shown ? t('ui.scimToken.hide') : t('ui.scimToken.reveal')}
                  </button>
                  <button type="button" className="button button-small" disabled={copy.isPending || !scim.tokenInKeychain} onClick={onCopy}>
                    {t('ui.scimToken.copy')}
                  </button>
                </>
              )}
            </div>
            {shown && <p className="field-help" aria-live="polite">{t('ui.scimToken.hidesIn', { n: Math.max(0, Math.ceil((shown.until - now) / 1000)) })}</p>}
            {scim.tokenCreatedAt && <p className="field-help">{t('ui.scimToken.createdOn', { when: format.dateTime(scim.tokenCreatedAt) })}</p>}
            {!scim.tokenInKeychain && <p className="alert alert-warning">{t('ui.scimToken.notInKeychain')}</p>}
          </div>
          {!readOnly && (
            <div className="identity-actions">
              <button type="button" className="button" onClick={() => setConfirm('rotate')}>{t('ui.scimToken.rotate')}</button>
              <button type="button" className="button button-ghost-danger" onClick={() => setConfirm('disable')}>{t('ui.scimToken.disable')}</button>
            </div>
          )}
        </>
      )}

      {confirm === 'rotate' && (
        <ConfirmDialog
          title={t('ui.scimToken.rotateTitle', { name: connection.name })}
          body={t('ui.scimToken.rotateBody')}
          confirmLabel={t('ui.scimToken.rotateConfirm')}
          danger
          busy={rotate.isPending}
          error={rotate.error ? errorText(t, rotate.error) : null}
          onCancel={() => { rotate.reset(); setConfirm(null); }}
          onConfirm={() => rotate.mutate({ id: connection.id }, {
            onSuccess: (r) => { setShown(null); setConfirm(null); setOnce({ token: r.token, endpointUrl: r.endpointUrl }); },
          })}
        />
      )}
      {confirm === 'disable' && (
        <ConfirmDialog
          title={t('ui.scimToken.disableTitle', { name: connection.name })}
          body={t('ui.scimToken.disableBody')}
          confirmLabel={t('ui.scimToken.disableConfirm')}
          danger
          busy={disable.isPending}
          error={disable.error ? errorText(t, disable.error) : null}
          onCancel={() => { disable.reset(); setConfirm(null); }}
          onConfirm={() => disable.mutate({ id: connection.id }, {
            onSuccess: () => { setShown(null); setConfirm(null); toast.success(t('ui.scimToken.disabled', { name: connection.name })); },
          })}
        />
      )}
      {once && <TokenOnceDialog {...once} onClose={() => setOnce(null)} />}
    </section>
  );
}

/** The one time the full token is on screen without asking: right after it was made. */
function TokenOnceDialog({ token, endpointUrl, onClose }: { token: string; endpointUrl: string; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={t('ui.scimToken.onceTitle')}
      onClose={onClose}
      className="dialog-wide"
      footer={<button type="button" className="button button-primary" onClick={onClose}>{t('ui.scimToken.onceDone')}</button>}
    >
      <p className="alert alert-warning" role="note">{t('ui.scimToken.onceBody')}</p>
      <CopyField label={t('ui.scimToken.endpoint')} value={endpointUrl} />
      <CopyField label={t('ui.scimToken.token')} value={token} testId="scim-token-once" secretSeconds={TOKEN_CLIPBOARD_SECONDS} />
    </Dialog>
  );
}
