import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DomainRow } from '../../../shared/model/identity.ts';
import { ApiError } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { CopyField } from '../sso/CopyField.tsx';
import { InheritedNotice } from '../../components/InheritedNotice.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/**
 * The Domains tab: the main organization's email domains and their proof of ownership by a DNS
 * TXT record. A sub-organization shows its main organization's domains, read-only.
 */
export function DomainsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useApiQuery('domains.list', { orgId });
  const verify = useApiMutation('domains.verify');
  const remove = useApiMutation('domains.remove');
  const [adding, setAdding] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<DomainRow | null>(null);

  if (list.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (list.isError) {
    return (
      <LoadError query={list} />
    );
  }
  const { items, inherited, mainOrgId, mainOrgName } = list.data;
  const selected = items.find((d) => d.id === selectedId) ?? null;

  const onVerify = (d: DomainRow) => {
    verify.mutate({ id: d.id }, {
      onSuccess: (r) => {
        setSelectedId(r.id);
        if (r.status === 'verified' && r.lastCheck?.outcome === 'verified') toast.success(t('ui.domains.verifiedToast', { name: r.displayName }));
      },
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <div className="tab-identity">
      <div className="identity-main">
        <section className="panel" aria-labelledby="domains-title">
          <div className="panel-header">
            <h2 id="domains-title" className="panel-title">{t('ui.domains.title')}</h2>
            {!inherited && (
              <button type="button" className="button button-primary" onClick={() => setAdding(true)}>{t('ui.domains.register')}</button>
            )}
          </div>
          <p className="muted">{t('ui.domains.help')}</p>
          {inherited && (
            <InheritedNotice text={t('ui.domains.inherited', { name: mainOrgName })} goLabel={t('ui.domains.goToMain', { name: mainOrgName })} mainOrgId={mainOrgId} tab="domains" />
          )}

          {items.length === 0 ? (
            <EmptyNotice title={t('ui.domains.empty')} help={t('ui.domains.emptyHelp')} />
          ) : (
            <table className="data-table identity-table" data-testid="domains-table">
              <thead>
                <tr>
                  <th scope="col">{t('ui.domains.colName')}</th>
                  <th scope="col">{t('ui.domains.colStatus')}</th>
                  <th scope="col">{t('ui.domains.colCreated')}</th>
                  <th scope="col">{t('ui.domains.colCreatedBy')}</th>
                  <th scope="col" className="row-actions">{t('ui.domains.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id} className={d.id === selectedId ? 'is-selected' : undefined} data-domain={d.name}>
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => setSelectedId(d.id)} aria-expanded={d.id === selectedId}>
                        {d.displayName}
                      </button>
                      {d.displayName !== d.name && <span className="muted small mono"> {d.name}</span>}
                    </th>
                    <td><DomainStatus d={d} /></td>
                    <td className="nowrap"><time dateTime={d.createdAt}>{format.shortDate(d.createdAt)}</time></td>
                    <td>{d.createdBy?.name ?? '—'}</td>
                    <td className="row-actions">
                      <button type="button" className="button button-small" onClick={() => setSelectedId(d.id)}>{t('ui.domains.details')}</button>
                      {!inherited && (
                        <button type="button" className="button button-small button-ghost-danger" onClick={() => setRemoving(d)}>
                          {t('ui.domains.remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {selected && (
          <section className="panel" aria-labelledby="domain-detail-title" data-testid="domain-detail">
            <div className="panel-header">
              <h2 id="domain-detail-title" className="panel-title">{selected.displayName}</h2>
              <DomainStatus d={selected} />
            </div>
            <h3 className="identity-subtitle">{t('ui.domains.txtTitle')}</h3>
            <p className="muted small">{t('ui.domains.txtHelp')}</p>
            <dl className="facts identity-facts">
              <div><dt>{t('ui.domains.txtType')}</dt><dd className="mono">TXT</dd></div>
            </dl>
            <CopyField label={t('ui.domains.txtName')} value={selected.txtRecord.name} testId="txt-name" />
            <CopyField label={t('ui.domains.txtValue')} value={selected.txtRecord.value} testId="txt-value" />
            {selected.lastCheck && (
              <p className={`alert ${selected.lastCheck.outcome === 'verified' ? 'alert-success' : 'alert-warning'}`} role="status" data-testid="domain-check">
                <span>
                  <strong>{t('ui.domains.lastCheck', { when: format.dateTime(selected.lastCheck.at) })}</strong>{' '}
                  {t(`ui.domains.outcome.${selected.lastCheck.outcome}`, {
                    found: selected.lastCheck.found.map((f) => `“${f}”`).join(', '),
                    name: selected.txtRecord.name,
                    code: selected.lastCheck.found[0] ?? '',
                  })}
                </span>
              </p>
            )}
            {selected.usedBy.length > 0 && <p className="muted small">{t('ui.domains.usedBy', { names: selected.usedBy.join(', ') })}</p>}
            {!inherited && (
              <div className="identity-actions">
                <button type="button" className="button button-primary" disabled={verify.isPending} onClick={() => onVerify(selected)}>
                  {verify.isPending ? t('ui.domains.verifying') : selected.status === 'verified' ? t('ui.domains.verifyAgain') : t('ui.domains.verify')}
                </button>
              </div>
            )}
          </section>
        )}
      </div>

      <aside className="side-column">
        <ResolverSetting readOnly={inherited} />
      </aside>

      {adding && <AddDomainDialog orgId={orgId} onClose={() => setAdding(false)} onAdded={(d) => setSelectedId(d.id)} />}
      {removing && (
        <ConfirmDialog
          title={t('ui.domains.removeTitle', { name: removing.displayName })}
          body={
            <>
              <p>{t('ui.domains.removeBody', { name: removing.displayName })}</p>
              {removing.usedBy.length > 0 && <p>{t('ui.domains.removeUsedBy', { names: removing.usedBy.join(', ') })}</p>}
            </>
          }
          confirmLabel={t('ui.domains.removeConfirm')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onCancel={() => { remove.reset(); setRemoving(null); }}
          onConfirm={() => {
            remove.mutate({ id: removing.id }, {
              onSuccess: () => {
                toast.success(t('ui.domains.removed', { name: removing.displayName }));
                if (selectedId === removing.id) setSelectedId(null);
                setRemoving(null);
              },
            });
          }}
        />
      )}
    </div>
  );
}

function DomainStatus({ d }: { d: DomainRow }) {
  const { t } = useTranslation();
  return (
    <span className={`badge state-badge ${d.status === 'verified' ? 'is-on' : 'is-off'}`} data-testid="domain-status">
      <span className="status-dot" aria-hidden="true" />
      {t(`ui.domains.status.${d.status}`)}
    </span>
  );
}

function AddDomainDialog({ orgId, onClose, onAdded }: { orgId: string; onClose(): void; onAdded(d: DomainRow): void }) {
  const { t } = useTranslation();
  const add = useApiMutation('domains.add');
  const [name, setName] = useState('');
  const fieldIssue = add.error instanceof ApiError ? add.error.fields?.name?.[0] : undefined;
  const otherError = add.error && !fieldIssue ? errorText(t, add.error) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ orgId, name }, {
      onSuccess: (d) => {
        toast.success(t('ui.domains.registered', { name: d.displayName }));
        onAdded(d);
        onClose();
      },
    });
  };

  return (
    <Dialog
      title={t('ui.domains.registerTitle')}
      onClose={onClose}
      className="dialog-small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form="add-domain-form" className="button button-primary" disabled={add.isPending}>{t('ui.domains.registerConfirm')}</button>
        </>
      }
    >
      <form id="add-domain-form" onSubmit={submit} noValidate>
        <Field label={t('ui.domains.name')} help={t('ui.domains.nameHelp')} error={fieldIssue ? issueText(t, fieldIssue) : null}>
          {(a) => (
            <input {...a} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} maxLength={300} placeholder="contoso.com" />
          )}
        </Field>
        {otherError && <p className="form-error" role="alert">{otherError}</p>}
      </form>
    </Dialog>
  );
}

function ResolverSetting({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const settings = useApiQuery('identity.settings.get', {});
  const save = useApiMutation('identity.settings.set');
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? settings.data?.dnsServer ?? '';
  const fieldIssue = save.error instanceof ApiError ? save.error.fields?.dnsServer?.[0] : undefined;

  return (
    <section className="panel" aria-labelledby="resolver-title">
      <h2 id="resolver-title" className="panel-title">{t('ui.domains.resolverTitle')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ dnsServer: value }, {
            onSuccess: () => { setDraft(null); toast.success(t('ui.domains.resolverSaved')); },
          });
        }}
      >
        <Field
          label={t('ui.domains.resolverLabel')}
          help={t('ui.domains.resolverHelp')}
          error={fieldIssue ? issueText(t, fieldIssue) : save.error ? errorText(t, save.error) : null}
        >
          {(a) => (
            <input
              {...a}
              className="input mono"
              value={value}
              placeholder={t('ui.domains.resolverSystem')}
              onChange={(e) => setDraft(e.target.value)}
              disabled={readOnly || settings.isPending}
              spellCheck={false}
              autoComplete="off"
              data-testid="dns-server"
            />
          )}
        </Field>
        {!readOnly && (
          <button type="submit" className="button" disabled={save.isPending || draft === null}>{t('ui.domains.save')}</button>
        )}
      </form>
    </section>
  );
}
