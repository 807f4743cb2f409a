import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgDetail } from '../../../shared/model/organization.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText } from '../../components/errors.ts';
import { useOrgIndex } from '../../organizations/use-orgs.ts';
import { toast } from '../../state/toasts.ts';

/** A client's partner, changed with a confirmation (org.setPartner). */
export function PartnerField({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const { data: index } = useOrgIndex();
  const [pending, setPending] = useState<string | null>(null);
  const setPartner = useApiMutation('org.setPartner');
  const partners = useMemo(() => index?.roots.filter((r) => r.type === 'partner') ?? [], [index]);
  const current = org.partner;
  const target = pending ? index?.byId.get(pending) : undefined;

  return (
    <section className="panel" aria-labelledby="partner-title">
      <h2 id="partner-title" className="panel-title">{t('ui.general.partner')}</h2>
      <Field label={t('ui.general.partner')} help={t('ui.general.partnerHelp')}>
        {(a) => (
          <select
            {...a}
            className="select"
            value={current?.id ?? ''}
            onChange={(e) => {
              if (e.target.value !== current?.id) setPending(e.target.value);
            }}
          >
            {partners.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        )}
      </Field>
      {pending && target && (
        <ConfirmDialog
          title={t('ui.general.partnerConfirmTitle')}
          body={t('ui.general.partnerConfirmBody', { org: org.name, partner: target.name, current: current?.name ?? '' })}
          confirmLabel={t('ui.general.partnerConfirm')}
          busy={setPartner.isPending}
          error={setPartner.error ? errorText(t, setPartner.error) : null}
          onCancel={() => {
            setPending(null);
            setPartner.reset();
          }}
          onConfirm={() =>
            setPartner.mutate(
              { id: org.id, partnerId: pending },
              {
                onSuccess: () => {
                  setPending(null);
                  toast.success(t('ui.general.partnerChanged', { partner: target.name }));
                },
              },
            )
          }
        />
      )}
    </section>
  );
}
