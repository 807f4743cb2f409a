import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { api, ApiError } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { toast } from '../../state/toasts.ts';
import {
  DIRECTORY_KINDS, DIRECTORY_SECURITY, FILTER_PRESETS, MAPPING_PRESETS,
  type AttributeMapping, type ConnectionTestResult, type DirectoryKind, type DirectorySource, type MappedPreview,
} from '../../../shared/model/directory.ts';

type Security = (typeof DIRECTORY_SECURITY)[number];

interface Form {
  name: string; kind: DirectoryKind; host: string; port: string; security: Security; caCertificate: string; bindDn: string;
  bindPassword: string; baseDn: string; userFilter: string; pageSize: string; connectTimeoutMs: string; timeoutMs: string;
  removalThresholdCount: string; removalThresholdPercent: string; scheduleMinutes: string; mapping: AttributeMapping;
  groupRoles: { groupDn: string; roleId: string }[];
}

const MAPPING_FIELDS: (keyof AttributeMapping)[] = ['anchor', 'email', 'displayName', 'givenName', 'surname', 'login', 'department', 'title', 'phone', 'manager', 'disabled', 'memberOf'];

function initial(source: DirectorySource | null): Form {
  if (source) {
    return {
      name: source.name, kind: source.kind, host: source.host, port: String(source.port), security: source.security, caCertificate: source.caCertificate,
      bindDn: source.bindDn, bindPassword: '', baseDn: source.baseDn, userFilter: source.userFilter, pageSize: String(source.pageSize),
      connectTimeoutMs: String(source.connectTimeoutMs), timeoutMs: String(source.timeoutMs), removalThresholdCount: String(source.removalThresholdCount),
      removalThresholdPercent: String(source.removalThresholdPercent), scheduleMinutes: String(source.scheduleMinutes), mapping: { ...source.mapping },
      groupRoles: source.groupRoles.map((g) => ({ ...g })),
    };
  }
  return {
    name: '', kind: 'activeDirectory', host: '', port: '636', security: 'ldaps', caCertificate: '', bindDn: '', bindPassword: '', baseDn: '',
    userFilter: FILTER_PRESETS.activeDirectory.user, pageSize: '1000', connectTimeoutMs: '5000', timeoutMs: '30000', removalThresholdCount: '500',
    removalThresholdPercent: '10', scheduleMinutes: '0', mapping: { ...MAPPING_PRESETS.activeDirectory }, groupRoles: [],
  };
}

/** Add or edit a directory source: connection, test, attribute mapping with a preview of real entries. */
export function SourceDialog({ orgId, source, onClose }: { orgId: string; source: DirectorySource | null; onClose(): void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form>(() => initial(source));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [preview, setPreview] = useState<{ entries: MappedPreview[]; problem: string | null; detail: string } | null>(null);
  const save = useApiMutation('directory.sources.save');
  const roles = useApiQuery('roles.list', {});

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const applyPreset = (kind: DirectoryKind) => setForm((f) => ({
    ...f, kind, mapping: { ...MAPPING_PRESETS[kind] }, userFilter: FILTER_PRESETS[kind].user, port: String(FILTER_PRESETS[kind].port[f.security]),
    pageSize: kind === 'activeDirectory' ? '1000' : f.pageSize,
  }));
  const setSecurity = (security: Security) => setForm((f) => ({ ...f, security, port: String(FILTER_PRESETS[f.kind].port[security]) }));

  const payload = () => ({
    orgId, name: form.name, kind: form.kind, host: form.host, port: Number(form.port), security: form.security, caCertificate: form.caCertificate,
    bindDn: form.bindDn, ...(form.bindPassword ? { bindPassword: form.bindPassword } : {}), baseDn: form.baseDn, userFilter: form.userFilter,
    groupFilter: '', pageSize: Number(form.pageSize), connectTimeoutMs: Number(form.connectTimeoutMs), timeoutMs: Number(form.timeoutMs),
    mapping: form.mapping, removalThresholdCount: Number(form.removalThresholdCount), removalThresholdPercent: Number(form.removalThresholdPercent),
    scheduleMinutes: Number(form.scheduleMinutes), groupRoles: form.groupRoles,
  });

  const showFieldErrors = (e: unknown) => {
    if (e instanceof ApiError && e.fields) {
      setErrors(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, issueText(t, v[0]!)])));
      const first = Object.keys(e.fields)[0];
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
    } else toast.error(errorText(t, e));
  };

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    setErrors({});
    try {
      setTest(await api.call('directory.testConnection', { ...payload(), ...(source ? { sourceId: source.id } : {}) }));
    } catch (e) {
      showFieldErrors(e);
    } finally {
      setTesting(false);
    }
  };
  const runPreview = async () => {
    setPreviewing(true);
    setPreview(null);
    setErrors({});
    try {
      setPreview(await api.call('directory.previewMapping', { ...payload(), ...(source ? { sourceId: source.id } : {}), limit: 5 }));
    } catch (e) {
      showFieldErrors(e);
    } finally {
      setPreviewing(false);
    }
  };
  const submit = () => {
    setErrors({});
    save.mutate({ ...payload(), ...(source ? { id: source.id } : {}) }, {
      onSuccess: (s) => { toast.success(t('ui.directory.saved', { name: s.name })); onClose(); },
      onError: showFieldErrors,
    });
  };

  const text = (key: keyof Form, label: string, opts: { type?: string; help?: string; placeholder?: string } = {}) => (
    <Field label={label} error={errors[key]} help={opts.help}>
      {(p) => (
        <input {...p} data-field={key} className="input" type={opts.type ?? 'text'} value={form[key] as string} placeholder={opts.placeholder}
          autoComplete="off" onChange={(e) => set(key, e.target.value as never)} />
      )}
    </Field>
  );

  return (
    <Dialog
      title={source ? t('ui.directory.editTitle', { name: source.name }) : t('ui.directory.addTitle')}
      onClose={onClose}
      className="dialog-wide directory-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="button" className="button" onClick={() => void runTest()} disabled={testing}>
            {testing ? t('ui.directory.testing') : t('ui.directory.test')}
          </button>
          <button type="button" className="button button-primary" onClick={submit} disabled={save.isPending}>{t('ui.directory.save')}</button>
        </>
      }
    >
      <form className="directory-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <fieldset className="directory-fieldset">
          <legend>{t('ui.directory.connection')}</legend>
          <div className="directory-presets" role="radiogroup" aria-label={t('ui.directory.preset')}>
            {DIRECTORY_KINDS.map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="kind" checked={form.kind === k} onChange={() => applyPreset(k)} /> {t(`ui.directory.kind.${k}`)}
              </label>
            ))}
          </div>
          {text('name', t('ui.directory.name'))}
          <div className="directory-row">
            {text('host', t('ui.directory.host'), { placeholder: 'dc1.corp.example' })}
            {text('port', t('ui.directory.port'), { type: 'number' })}
            <Field label={t('ui.directory.security')} error={errors.security}>
              {(p) => (
                <select {...p} className="input" value={form.security} onChange={(e) => setSecurity(e.target.value as Security)}>
                  {DIRECTORY_SECURITY.map((s) => <option key={s} value={s}>{t(`ui.directory.securityOption.${s}`)}</option>)}
                </select>
              )}
            </Field>
          </div>
          {form.security === 'none' && <p className="alert alert-warning">{t('ui.directory.plainWarning')}</p>}
          {form.security !== 'none' && (
            <Field label={t('ui.directory.ca')} error={errors.caCertificate} help={t('ui.directory.caHelp')}>
              {(p) => <textarea {...p} data-field="caCertificate" className="input mono" rows={3} value={form.caCertificate} onChange={(e) => set('caCertificate', e.target.value)} />}
            </Field>
          )}
          <div className="directory-row">
            {text('bindDn', t('ui.directory.bindDn'), { placeholder: 'svc-orgdesk@corp.example' })}
            {text('bindPassword', t('ui.directory.bindPassword'), { type: 'password', help: source?.hasPassword ? t('ui.directory.passwordKept') : t('ui.directory.passwordHelp') })}
          </div>
          {text('baseDn', t('ui.directory.baseDn'), { placeholder: 'OU=Staff,DC=corp,DC=example' })}
          {text('userFilter', t('ui.directory.userFilter'))}
          <div className="directory-row">
            {text('pageSize', t('ui.directory.pageSize'), { type: 'number' })}
            {text('connectTimeoutMs', t('ui.directory.connectTimeout'), { type: 'number' })}
            {text('timeoutMs', t('ui.directory.timeout'), { type: 'number' })}
          </div>
          {test && (
            <div className={`alert ${test.ok ? 'directory-test-ok' : 'alert-error'}`} role="status" data-testid="directory-test-result">
              {test.ok
                ? t('ui.directory.testOk', { vendor: test.vendor || 'LDAP', count: test.userCount ?? 0, ms: test.elapsedMs })
                : <>{t(`directory.problem.${test.problem ?? 'other'}`, { detail: test.detail })} <span className="muted">{test.detail}</span></>}
            </div>
          )}
        </fieldset>

        <fieldset className="directory-fieldset">
          <legend>{t('ui.directory.mapping')}</legend>
          <p className="muted">{t('ui.directory.mappingHelp')}</p>
          <div className="directory-mapping">
            {MAPPING_FIELDS.map((m) => (
              <Field key={m} label={t(`ui.directory.map.${m}`)} error={errors[`mapping.${m}`]}>
                {(p) => (
                  <input {...p} data-field={`mapping.${m}`} className="input mono" value={form.mapping[m]}
                    onChange={(e) => setForm((f) => ({ ...f, mapping: { ...f.mapping, [m]: e.target.value } }))} />
                )}
              </Field>
            ))}
          </div>
          <button type="button" className="button" onClick={() => void runPreview()} disabled={previewing}>
            {previewing ? t('ui.directory.previewing') : t('ui.directory.previewMapping')}
          </button>
          {preview && !preview.problem && preview.entries.length === 0 && <p className="muted">{t('ui.directory.previewEmpty')}</p>}
          {preview?.problem && <p className="alert alert-error" role="alert">{t(`directory.problem.${preview.problem}`, { detail: preview.detail })}</p>}
          {preview && preview.entries.length > 0 && (
            <table className="preview-table" aria-label={t('ui.directory.previewMapping')} data-testid="directory-mapping-preview">
              <thead><tr><th>{t('ui.directory.col.name')}</th><th>{t('ui.directory.col.email')}</th><th>{t('ui.directory.col.anchor')}</th><th>{t('ui.directory.col.details')}</th></tr></thead>
              <tbody>
                {preview.entries.map((e) => (
                  <tr key={e.dn}>
                    <td>{e.problem ? <span className="field-error">{t(`ui.directory.mapProblem.${e.problem}`, { defaultValue: e.problem })}</span> : e.name}{e.disabled && <span className="badge"> {t('ui.directory.disabled')}</span>}</td>
                    <td>{e.email}</td>
                    <td className="mono">{e.anchor}</td>
                    <td className="muted">{Object.entries(e.attributes).map(([k, v]) => `${t(`ui.directory.map.${k}`)}: ${v}`).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </fieldset>

        <fieldset className="directory-fieldset">
          <legend>{t('ui.directory.groupRoles')}</legend>
          <p className="muted">{t('ui.directory.groupRolesHelp')}</p>
          {form.groupRoles.map((g, i) => (
            <div key={i} className="directory-group-role">
              <Field label={t('ui.directory.groupDn', { n: i + 1 })} error={errors[`groupRoles.${i}.groupDn`]}>
                {(p) => (
                  <input {...p} className="input mono" value={g.groupDn} placeholder="CN=Finance,OU=Groups,DC=corp,DC=example"
                    onChange={(e) => setForm((f) => ({ ...f, groupRoles: f.groupRoles.map((x, j) => (j === i ? { ...x, groupDn: e.target.value } : x)) }))} />
                )}
              </Field>
              <Field label={t('ui.directory.groupRole', { n: i + 1 })} error={errors[`groupRoles.${i}.roleId`]}>
                {(p) => (
                  <select {...p} className="input" value={g.roleId}
                    onChange={(e) => setForm((f) => ({ ...f, groupRoles: f.groupRoles.map((x, j) => (j === i ? { ...x, roleId: e.target.value } : x)) }))}>
                    {(roles.data?.items ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
                  </select>
                )}
              </Field>
              <button type="button" className="button button-small" aria-label={t('ui.directory.removeGroup', { n: i + 1 })}
                onClick={() => setForm((f) => ({ ...f, groupRoles: f.groupRoles.filter((_, j) => j !== i) }))}>✕</button>
            </div>
          ))}
          <button type="button" className="button button-small" disabled={!roles.data}
            onClick={() => setForm((f) => ({ ...f, groupRoles: [...f.groupRoles, { groupDn: '', roleId: roles.data!.items[roles.data!.items.length - 1]!.id }] }))}>
            {t('ui.directory.addGroup')}
          </button>
        </fieldset>

        <fieldset className="directory-fieldset">
          <legend>{t('ui.directory.safety')}</legend>
          <div className="directory-row">
            {text('removalThresholdCount', t('ui.directory.removalCount'), { type: 'number' })}
            {text('removalThresholdPercent', t('ui.directory.removalPercent'), { type: 'number' })}
            {text('scheduleMinutes', t('ui.directory.schedule'), { type: 'number', help: t('ui.directory.scheduleHelp') })}
          </div>
        </fieldset>
      </form>
    </Dialog>
  );
}
