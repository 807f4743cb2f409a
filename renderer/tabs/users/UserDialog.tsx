import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NewUser, type UserRow } from '../../../shared/model/user.ts';
import { ApiError, fieldIssues } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import type { FieldIssue } from '../../../shared/model/errors.ts';
import { useOrgIndex } from '../../organizations/use-orgs.ts';
import { toast } from '../../state/toasts.ts';
import { mainOf, subtreeOptions } from './org-options.ts';
import { UserAuthCards } from './UserAuthCards.tsx';

type FieldName = 'name' | 'email' | 'roleId' | 'orgId' | 'emailLoginEnabled';
type Errors = Partial<Record<FieldName, FieldIssue>>;

interface Draft {
  name: string;
  email: string;
  roleId: string;
  orgId: string;
  emailLoginEnabled: boolean;
}

const draftOf = (u: UserRow): Draft => ({ name: u.name, email: u.email, roleId: u.roleId, orgId: u.orgId, emailLoginEnabled: u.emailLoginEnabled });

/** zod issues (messages are i18n keys) -> one issue per field. */
function zodErrors(result: ReturnType<typeof NewUser.safeParse>): Errors {
  const out: Errors = {};
  if (result.success) return out;
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '') as FieldName;
    if (!out[name]) out[name] = { key: issue.message };
  }
  return out;
}

const READ_ONLY_ROLE = '00000000-0000-7000-8000-000000000003';

type UserDialogProps =
  | { mode: 'create'; orgId: string; onClose(): void }
  | { mode: 'edit'; user: UserRow; onClose(): void; initialView?: View };

const VIEWS = ['details', 'authentication'] as const;
type View = (typeof VIEWS)[number];

/** New user, or edit one (with a move to another sub-organization of the same main organization). */
export function UserDialog(props: UserDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const roles = useApiQuery('roles.list', {}, { staleTime: 5 * 60_000 });
  const { data: index } = useOrgIndex();
  const editing = props.mode === 'edit' ? props.user : null;
  const fresh = useApiQuery('users.get', { id: editing?.id ?? '' }, { enabled: Boolean(editing), staleTime: 0 });

  const [base, setBase] = useState<UserRow | null>(editing);
  const [draft, setDraft] = useState<Draft>(() =>
    editing ? draftOf(editing) : { name: '', email: '', roleId: READ_ONLY_ROLE, orgId: props.mode === 'create' ? props.orgId : '', emailLoginEnabled: false });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<{ text: string; conflict: boolean } | null>(null);
  const [view, setView] = useState<View>(props.mode === 'edit' ? props.initialView ?? 'details' : 'details');
  const viewRefs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({});
  const onViewKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = VIEWS.indexOf(view);
    const next = e.key === 'Home' ? VIEWS[0] : e.key === 'End' ? VIEWS[VIEWS.length - 1]! : VIEWS[(i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    setView(next);
    viewRefs.current[next]?.focus();
  };
  const create = useApiMutation('users.create');
  const update = useApiMutation('users.update');
  const setLogin = useApiMutation('users.setEmailLogin');
  const busy = create.isPending || update.isPending || setLogin.isPending;

  const rootId = editing ? (index ? mainOf(index, editing.orgId) : editing.orgId) : props.mode === 'create' ? props.orgId : '';
  const orgOptions = useMemo(() => (index ? subtreeOptions(index, rootId) : []), [index, rootId]);

  const set = <K extends FieldName>(name: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  // Focus after the render that marks the fields invalid has committed (a frame callback could run before it under load).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) document.querySelector<HTMLElement>(`[id="${CSS.escape(formId)}"] [aria-invalid="true"]`)?.focus();
  }, [focusRequest, formId]);
  const focusFirstInvalid = () => setFocusRequest((n) => n + 1);

  const showServerError = (e: unknown) => {
    const issues = fieldIssues(e, 'changes.');
    const mapped: Errors = {};
    for (const k of ['name', 'email', 'roleId', 'orgId', 'emailLoginEnabled'] as const) if (issues[k]) mapped[k] = issues[k];
    setErrors(mapped);
    const conflict = e instanceof ApiError && e.code === 'CONFLICT';
    if (Object.keys(mapped).length) focusFirstInvalid();
    else setFormError({ text: errorText(t, e), conflict });
  };

  const submit = async () => {
    if (busy) return;
    setFormError(null);
    const parsed = NewUser.safeParse(draft);
    const found = zodErrors(parsed);
    setErrors(found);
    if (!parsed.success) {
      focusFirstInvalid();
      return;
    }
    const value = parsed.data;
    if (!editing || !base) {
      try {
        const created = await create.mutateAsync(value);
        toast.success(t('ui.users.created', { name: created.name }));
        props.onClose();
      } catch (e) {
        showServerError(e);
      }
      return;
    }
    const changes: { name?: string; email?: string; roleId?: string; orgId?: string } = {};
    if (value.name !== base.name) changes.name = value.name;
    if (value.email !== base.email) changes.email = value.email;
    if (value.roleId !== base.roleId) changes.roleId = value.roleId;
    if (value.orgId !== base.orgId) changes.orgId = value.orgId;
    const loginChanged = value.emailLoginEnabled !== base.emailLoginEnabled;
    try {
      let next = base;
      if (Object.keys(changes).length) next = await update.mutateAsync({ id: base.id, baseVersion: base.version, changes });
      if (loginChanged) {
        try {
          await setLogin.mutateAsync({ ids: [base.id], enabled: value.emailLoginEnabled });
        } catch (e) {
          // The other changes are saved: edit from there.
          setBase(next);
          throw e;
        }
      }
      toast.success(t('ui.users.saved', { name: value.name }));
      props.onClose();
    } catch (e) {
      showServerError(e);
    }
  };

  const reload = async () => {
    const result = await fresh.refetch();
    if (result.data) {
      setBase(result.data);
      setDraft(draftOf(result.data));
      setErrors({});
      setFormError(null);
    }
  };

  const shown = (name: FieldName) => (errors[name] ? issueText(t, errors[name]) : null);
  const loginErrorId = `${formId}-login-error`;
  const loginHelpId = `${formId}-login-help`;

  return (
    <Dialog
      title={editing ? t('ui.users.editTitle', { name: editing.name }) : t('ui.users.newTitle')}
      onClose={props.onClose}
      className={view === 'authentication' ? 'dialog-wide' : undefined}
      initialFocus={props.mode === 'edit' && props.initialView === 'authentication'
        ? `[id="${CSS.escape(`${formId}-tab-authentication`)}"]`
        : `[id="${CSS.escape(formId)}"] input`}
      footer={
        view === 'authentication' ? (
          <button type="button" className="button" onClick={props.onClose}>{t('ui.dialog.close')}</button>
        ) : (
          <>
            <button type="button" className="button" onClick={props.onClose}>{t('ui.dialog.cancel')}</button>
            <button type="submit" form={formId} className="button button-primary" disabled={busy}>
              {busy ? t('ui.users.saving') : editing ? t('ui.users.save') : t('ui.users.create')}
            </button>
          </>
        )
      }
    >
      {editing && (
        <div role="tablist" aria-label={t('ui.users.dialogViews')} className="tabs dialog-tabs" onKeyDown={onViewKey}>
          {VIEWS.map((id) => (
            <button
              key={id}
              ref={(el) => {
                viewRefs.current[id] = el;
              }}
              type="button"
              role="tab"
              id={`${formId}-tab-${id}`}
              aria-selected={view === id}
              aria-controls={id === 'details' ? formId : `${formId}-panel-${id}`}
              tabIndex={view === id ? 0 : -1}
              className={`tab ${view === id ? 'is-selected' : ''}`}
              onClick={() => setView(id)}
            >
              {t(`ui.users.views.${id}`)}
            </button>
          ))}
        </div>
      )}
      {editing && view === 'authentication' && (
        <div role="tabpanel" id={`${formId}-panel-authentication`} aria-labelledby={`${formId}-tab-authentication`} className="dialog-tabpanel">
          <UserAuthCards user={base ?? editing} />
        </div>
      )}
      <form
        hidden={view !== 'details'}
        role={editing ? 'tabpanel' : undefined}
        aria-labelledby={editing ? `${formId}-tab-details` : undefined}
        className={editing ? 'dialog-tabpanel' : undefined}
        id={formId}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {formError && (
          <div className={`alert ${formError.conflict ? 'alert-warning' : 'alert-error'}`} role="alert">
            <span>{formError.text}</span>
            {formError.conflict && (
              <button type="button" className="button button-small" onClick={() => void reload()}>
                {t('ui.users.reload')}
              </button>
            )}
          </div>
        )}
        <Field label={t('ui.users.fields.name')} error={shown('name')}>
          {(a) => <input {...a} className="input" value={draft.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" maxLength={200} />}
        </Field>
        <Field label={t('ui.users.fields.email')} error={shown('email')}>
          {(a) => (
            <input {...a} type="email" className="input" value={draft.email} onChange={(e) => set('email', e.target.value)} autoComplete="off" spellCheck={false} />
          )}
        </Field>
        <Field label={t('ui.users.fields.role')} error={shown('roleId')} help={roles.data?.items.find((r) => r.id === draft.roleId)?.description}>
          {(a) => (
            <select {...a} className="select" value={draft.roleId} onChange={(e) => set('roleId', e.target.value)}>
              {!roles.data && <option value={draft.roleId}>{t('ui.app.loading')}</option>}
              {roles.data?.items.map((r) => (
                <option key={r.id} value={r.id}>{r.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={editing ? t('ui.users.fields.moveTo') : t('ui.users.fields.organization')}
          error={shown('orgId')}
          help={editing ? t('ui.users.fields.moveHelp') : t('ui.users.fields.organizationHelp')}
        >
          {(a) => (
            <select {...a} className="select" value={draft.orgId} onChange={(e) => set('orgId', e.target.value)}>
              {!orgOptions.some((o) => o.id === draft.orgId) && <option value={draft.orgId}>{editing?.orgName ?? ''}</option>}
              {orgOptions.map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))}
            </select>
          )}
        </Field>
        <div className={`field field-check ${errors.emailLoginEnabled ? 'field-invalid' : ''}`}>
          <label className="check-row">
            <input
              type="checkbox"
              className="checkbox"
              checked={draft.emailLoginEnabled}
              onChange={(e) => set('emailLoginEnabled', e.target.checked)}
              aria-invalid={Boolean(errors.emailLoginEnabled)}
              aria-describedby={errors.emailLoginEnabled ? loginErrorId : loginHelpId}
            />
            <span>{t('ui.users.fields.emailLogin')}</span>
          </label>
          {errors.emailLoginEnabled ? (
            <p id={loginErrorId} className="field-error">{shown('emailLoginEnabled')}</p>
          ) : (
            <p id={loginHelpId} className="field-help">{t('ui.users.fields.emailLoginHelp')}</p>
          )}
        </div>
        {editing && base && (
          <p className="muted small user-dialog-meta">
            {t('ui.users.meta', { source: t(`ui.users.source.${base.source}`), status: t(`ui.users.status.${base.status}`) })}
          </p>
        )}
      </form>
    </Dialog>
  );
}
