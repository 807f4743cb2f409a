import { useTranslation } from 'react-i18next';
import type { Actor } from '../../../shared/model/organization.ts';
import { useFormat } from '../../i18n/format.ts';

/** "Last updated <date> by <person>" under a tab, from the newest audit entry of its area. */
export function LastUpdate({ value, textKey, emptyKey }: { value: { at: string; actor: Actor } | null; textKey: string; emptyKey?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!value) return emptyKey ? <p className="muted small tab-footer" data-testid="last-update">{t(emptyKey)}</p> : null;
  const who = value.actor.email ? `${value.actor.name} (${value.actor.email})` : value.actor.name;
  return (
    <p className="muted small tab-footer" data-testid="last-update">
      {t(textKey, { when: format.dateTime(value.at), who })}
    </p>
  );
}
