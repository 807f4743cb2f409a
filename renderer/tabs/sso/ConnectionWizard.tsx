import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateInfo, ConnectionRow, DomainRow } from '../../../shared/model/identity.ts';
import type { ConnectionKind } from '../../../shared/rules/identity.ts';
import type { FieldIssue } from '../../../shared/model/errors.ts';
import { ApiError, api, fieldIssues } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { DropZone } from '../../components/DropZone.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { saveBlob } from '../../api/files.ts';
import { toast } from '../../state/toasts.ts';
import { CopyField } from './CopyField.tsx';

type Step = 'name' | 'sp' | 'idp' | 'domains';
const CREATE_STEPS: Step[] = ['name', 'sp', 'idp', 'domains'];
/** Which step shows the field a core error names. */
const STEP_OF_FIELD: Record<string, Step> = { name: 'name', idpEntityId: 'idp', idpSsoUrl: 'idp', certificates: 'idp', domainIds: 'domains' };

interface Draft {
  name: string;
  source: 'url' | 'file' | 'manual';
  metadataUrl: string;
  idpEntityId: string;
  idpSsoUrl: string;
  certificates: string[];
  domainIds: string[];
}

/**
 * Create a connection step by step (name; what to paste into the identity manager; the identity
 * manager's side from its metadata URL, file or by hand; the verified domains), or edit one on a
 * single page. The new connection's id is chosen here so the SP URLs can be shown before saving.
 */
export function ConnectionWizard({ orgId, kind, existing, domains, onClose }: {
  orgId: string;
  kind: ConnectionKind;
  existing: ConnectionRow | null;
  domains: DomainRow[];
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [id] = useState(() => existing?.id ?? crypto.randomUUID());
  const [step, setStep] = useState<Step>(existing ? 'idp' : 'name');
  const [draft, setDraft] = useState<Draft>(() => ({
    name: existing?.name ?? t(`ui.sso.kinds.${kind}`),
    source: existing ? 'manual' : 'url',
    metadataUrl: '',
    idpEntityId: existing?.idpEntityId ?? '',
    idpSsoUrl: existing?.idpSsoUrl ?? '',
    certificates: [],
    domainIds: existing?.domains.map((d) => d.id) ?? domains.filter((d) => d.status === 'verified').map((d) => d.id),
  }));
  const [certInfo, setCertInfo] = useState<CertificateInfo[] | null>(existing ? existing.certificates : null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [localIssues, setLocalIssues] = useState<Record<string, FieldIssue>>({});
  const create = useApiMutation('sso.create');
  const update = useApiMutation('sso.update');
  const saving = create.isPending || update.isPending;
  const saveError = create.error ?? update.error;
  const issues = { ...fieldIssues(saveError), ...fieldIssues(saveError, 'changes.'), ...localIssues };
  const issue = (f: string) => (issues[f] ? issueText(t, issues[f]) : null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setLocalIssues((i) => { const { [k]: _drop, ...rest } = i; void _drop; return rest; });
  };

  const applyMetadata = async (input: { xml: string } | { url: string }) => {
    setReading(true);
    setParseError(null);
    try {
      const m = await api.call('sso.parseMetadata', input);
      setDraft((d) => ({ ...d, idpEntityId: m.idpEntityId, idpSsoUrl: m.idpSsoUrl, certificates: m.certificates }));
      setCertInfo(m.certificateInfo);
      toast.success(t('ui.sso.wizard.parsed', { entityId: m.idpEntityId }));
    } catch (e) {
      setParseError(errorText(t, e));
    } finally {
      setReading(false);
    }
  };

  const onError = (e: ApiError) => {
    const first = Object.keys(e.fields ?? {})[0]?.replace(/^changes\./, '').replace(/\.\d+$/, '');
    const target = first ? STEP_OF_FIELD[first] : undefined;
    if (target && !existing) setStep(target);
  };

  const submit = () => {
    if (existing) {
      const changes: Record<string, unknown> = { name: draft.name, idpEntityId: draft.idpEntityId, idpSsoUrl: draft.idpSsoUrl, domainIds: draft.domainIds };
      // Certificates are sent only when new ones were read or pasted (renewal); otherwise they stay.
      if (draft.certificates.some((c) => c.trim() !== '')) changes.certificates = draft.certificates.filter((c) => c.trim() !== '');
      update.mutate({ id, baseVersion: existing.version, changes }, {
        onSuccess: (c) => { toast.success(t('ui.sso.wizard.saved', { name: c.name })); onClose(); },
        onError,
      });
    } else {
      create.mutate({
        id, orgId, kind, name: draft.name, idpEntityId: draft.idpEntityId, idpSsoUrl: draft.idpSsoUrl,
        certificates: draft.certificates.filter((c) => c.trim() !== ''), domainIds: draft.domainIds,
      }, {
        onSuccess: (c) => { toast.success(t('ui.sso.wizard.created', { name: c.name })); onClose(); },
        onError,
      });
    }
  };

  /** What must be there before moving on; the core checks the rest when saving. */
  const next = () => {
    if (step === 'name' && draft.name.trim() === '') { setLocalIssues({ name: { key: 'sso.name_required' } }); return; }
    if (step === 'idp') {
      const local: Record<string, FieldIssue> = {};
      if (draft.idpEntityId.trim() === '') local.idpEntityId = { key: 'sso.entity_id_required' };
      if (draft.idpSsoUrl.trim() === '') local.idpSsoUrl = { key: 'sso.sso_url_invalid' };
      if (!draft.certificates.some((c) => c.trim() !== '')) local.certificates = { key: 'sso.certificate_required' };
      if (Object.keys(local).length > 0) { setLocalIssues(local); return; }
    }
    const i = CREATE_STEPS.indexOf(step);
    setStep(CREATE_STEPS[i + 1] ?? step);
  };
  const back = () => setStep(CREATE_STEPS[CREATE_STEPS.indexOf(step) - 1] ?? step);
  const last = step === 'domains';

  const kindLabel = t(`ui.sso.kinds.${kind}`);
  const stepIndex = CREATE_STEPS.indexOf(step);
  const otherError = saveError && Object.keys(issues).length === 0 ? errorText(t, saveError) : null;

  const nameStep = (
    <Field label={t('ui.sso.name')} error={issue('name')}>
      {(a) => <input {...a} className="input" value={draft.name} maxLength={120} onChange={(e) => set('name', e.target.value)} autoComplete="off" data-testid="sso-name" />}
    </Field>
  );

  const idpStep = (
    <IdpStep
      draft={draft}
      set={set}
      certInfo={certInfo}
      editing={Boolean(existing)}
      reading={reading}
      parseError={parseError}
      issue={issue}
      onMetadata={(input) => void applyMetadata(input)}
    />
  );

  const domainsStep = (
    <fieldset className="identity-fieldset">
      <legend className="field-label">{t('ui.sso.domains')}</legend>
      <p className="field-help">{t('ui.sso.domainsHelp')}</p>
      {domains.filter((d) => d.status === 'verified').length === 0 && <p className="alert alert-warning">{t('ui.sso.noVerifiedDomains')}</p>}
      <ul className="identity-checklist">
        {domains.map((d) => (
          <li key={d.id}>
            <label className={d.status !== 'verified' ? 'is-disabled' : undefined}>
              <input
                type="checkbox"
                disabled={d.status !== 'verified'}
                checked={draft.domainIds.includes(d.id)}
                onChange={(e) => set('domainIds', e.target.checked ? [...draft.domainIds, d.id] : draft.domainIds.filter((x) => x !== d.id))}
              />
              {' '}{d.displayName}
              {d.status !== 'verified' && <span className="muted small"> ({t('ui.sso.domainUnverified')})</span>}
            </label>
          </li>
        ))}
      </ul>
      {issue('domainIds') && <p className="field-error" role="alert">{issue('domainIds')}</p>}
    </fieldset>
  );

  const footer = existing ? (
    <>
      <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
      <button type="button" className="button button-primary" disabled={saving} onClick={submit}>{t('ui.sso.wizard.save')}</button>
    </>
  ) : (
    <>
      <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
      {stepIndex > 0 && <button type="button" className="button" onClick={back}>{t('ui.sso.wizard.back')}</button>}
      {last
        ? <button type="button" className="button button-primary" disabled={saving} onClick={submit}>{t('ui.sso.wizard.create')}</button>
        : <button type="button" className="button button-primary" onClick={next}>{t('ui.sso.wizard.next')}</button>}
    </>
  );

  return (
    <Dialog
      title={existing ? t('ui.sso.wizard.editTitle', { name: existing.name }) : t('ui.sso.wizard.title', { kind: kindLabel })}
      onClose={onClose}
      className="dialog-wide"
      footer={footer}
    >
      {existing ? (
        <div className="identity-form">
          {nameStep}
          {idpStep}
          {domainsStep}
        </div>
      ) : (
        <div className="identity-form">
          <ol className="wizard-steps" aria-label={t('ui.sso.wizard.step', { n: stepIndex + 1, total: CREATE_STEPS.length })}>
            {CREATE_STEPS.map((s, i) => (
              <li key={s} className={s === step ? 'is-current' : i < stepIndex ? 'is-done' : undefined} aria-current={s === step ? 'step' : undefined}>
                {t(`ui.sso.wizard.steps.${s}`)}
              </li>
            ))}
          </ol>
          {step === 'name' && nameStep}
          {step === 'sp' && <SpStep orgId={orgId} connectionId={id} kind={kind} />}
          {step === 'idp' && idpStep}
          {step === 'domains' && domainsStep}
        </div>
      )}
      {otherError && <p className="form-error" role="alert">{otherError}</p>}
    </Dialog>
  );
}

/** What the administrator pastes into the identity manager, with that manager's own names for each value. */
export function SpStep({ orgId, connectionId, kind }: { orgId: string; connectionId: string; kind: ConnectionKind }) {
  const { t } = useTranslation();
  const info = useApiQuery('sso.spInfo', { orgId, connectionId });
  if (info.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (info.isError) return <p className="alert alert-error" role="alert">{errorText(t, info.error)}</p>;
  const sp = info.data;
  return (
    <div>
      <ol className="identity-guidance">
        {[0, 1, 2, 3].map((i) => <li key={i}>{t(`ui.sso.guidance.${kind}.${i}`)}</li>)}
      </ol>
      {kind === 'okta' && <p className="alert alert-info" role="note">{t('ui.scimToken.oktaNote')}</p>}
      <CopyField label={t('ui.sso.acsUrl')} value={sp.acsUrl} testId="sp-acs-url" />
      <CopyField label={t('ui.sso.entityId')} value={sp.entityId} testId="sp-entity-id" />
      <CopyField label={t('ui.sso.metadataUrl')} value={sp.metadataUrl} />
      <button
        type="button"
        className="button"
        onClick={() => saveBlob(new Blob([sp.metadataXml], { type: 'application/samlmetadata+xml' }), `orgdesk-sp-metadata-${connectionId.slice(0, 8)}.xml`)}
      >
        {t('ui.sso.downloadMetadata')}
      </button>
    </div>
  );
}

function IdpStep({ draft, set, certInfo, editing, reading, parseError, issue, onMetadata }: {
  draft: Draft;
  set<K extends keyof Draft>(k: K, v: Draft[K]): void;
  certInfo: CertificateInfo[] | null;
  editing: boolean;
  reading: boolean;
  parseError: string | null;
  issue(field: string): string | null;
  onMetadata(input: { xml: string } | { url: string }): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const sources: Draft['source'][] = ['url', 'file', 'manual'];
  let sourceBody: ReactNode = null;
  if (draft.source === 'url') {
    sourceBody = (
      <div className="copy-row">
        <Field label={t('ui.sso.wizard.metadataUrl')} className="grow">
          {(a) => <input {...a} className="input" type="url" value={draft.metadataUrl} onChange={(e) => set('metadataUrl', e.target.value)} placeholder="https://" spellCheck={false} />}
        </Field>
        <button type="button" className="button" disabled={reading || draft.metadataUrl.trim() === ''} onClick={() => onMetadata({ url: draft.metadataUrl.trim() })}>
          {reading ? t('ui.sso.wizard.reading') : t('ui.sso.wizard.read')}
        </button>
      </div>
    );
  } else if (draft.source === 'file') {
    sourceBody = (
      <DropZone
        label={t('ui.sso.wizard.file')}
        accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
        dropHint={t('ui.sso.wizard.dropHint')}
        onFile={(file) => { void file.text().then((xml) => onMetadata({ xml })); }}
      />
    );
  }
  const pasted = draft.certificates.length > 0 ? draft.certificates : [''];
  return (
    <div>
      {editing && <p className="muted small">{t('ui.sso.wizard.renewHelp')}</p>}
      <fieldset className="identity-fieldset">
        <legend className="field-label">{t('ui.sso.wizard.source')}</legend>
        <div className="radio-row" role="radiogroup">
          {sources.map((s) => (
            <label key={s}>
              <input type="radio" name="idp-source" checked={draft.source === s} onChange={() => set('source', s)} /> {t(`ui.sso.wizard.sources.${s}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {sourceBody}
      {parseError && <p className="alert alert-error" role="alert" data-testid="metadata-error">{parseError}</p>}

      <Field label={t('ui.sso.idpEntityId')} error={issue('idpEntityId')}>
        {(a) => <input {...a} className="input mono" value={draft.idpEntityId} onChange={(e) => set('idpEntityId', e.target.value)} spellCheck={false} data-testid="idp-entity-id" />}
      </Field>
      <Field label={t('ui.sso.idpSsoUrl')} error={issue('idpSsoUrl')}>
        {(a) => <input {...a} className="input mono" type="url" value={draft.idpSsoUrl} onChange={(e) => set('idpSsoUrl', e.target.value)} spellCheck={false} data-testid="idp-sso-url" />}
      </Field>

      {certInfo && certInfo.length > 0 && (
        <div className="identity-certs" data-testid="cert-info">
          <p className="field-label">{t('ui.sso.certificates')}</p>
          <ul>
            {certInfo.map((c) => (
              <li key={c.fingerprint}>
                <CertBadge status={c.status} />{' '}
                {t('ui.sso.certificateInfo', { subject: c.subject, date: format.shortDate(c.notAfter), fingerprint: `${c.fingerprint.slice(0, 23)}…` })}
              </li>
            ))}
          </ul>
        </div>
      )}

      {(draft.source === 'manual' || issue('certificates')) && pasted.map((pem, i) => (
        <Field
          key={i}
          label={`${t('ui.sso.certificate')}${pasted.length > 1 ? ` ${i + 1}` : ''}`}
          help={t('ui.sso.certificateHelp')}
          error={i === 0 ? issue('certificates') : null}
        >
          {(a) => (
            <textarea
              {...a}
              className="textarea mono identity-pem"
              rows={5}
              value={pem}
              spellCheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              onChange={(e) => set('certificates', pasted.map((p, j) => (j === i ? e.target.value : p)))}
            />
          )}
        </Field>
      ))}
      {draft.source === 'manual' && (
        <div className="identity-actions">
          <button type="button" className="button button-small" onClick={() => set('certificates', [...pasted, ''])}>{t('ui.sso.wizard.addCertificate')}</button>
          {pasted.length > 1 && (
            <button type="button" className="button button-small" onClick={() => set('certificates', pasted.slice(0, -1))}>
              {t('ui.sso.wizard.removeCertificate', { n: pasted.length })}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function CertBadge({ status }: { status: CertificateInfo['status'] }) {
  const { t } = useTranslation();
  if (status === 'ok' || status === 'none') return <span className="badge state-badge is-on"><span className="status-dot" aria-hidden="true" />{t('ui.sso.certFlag.ok')}</span>;
  return <span className={`badge cert-flag cert-${status}`}>{t(`ui.sso.certFlag.${status}`)}</span>;
}
