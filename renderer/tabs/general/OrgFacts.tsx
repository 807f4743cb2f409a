import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Actor, OrgDetail } from '../../../shared/model/organization.ts';
import { TypeBadge } from '../../components/Badge.tsx';
import { useFormat } from '../../i18n/format.ts';

export function actorText(t: TFunction, actor: Actor | null): string {
  if (!actor) return t('ui.general.unknownActor');
  return actor.email ? t('ui.general.byWhom', { name: actor.name, email: actor.email }) : actor.name;
}

export function ActorText({ actor }: { actor: Actor | null }) {
  const { t } = useTranslation();
  return <>{actorText(t, actor)}</>;
}

/** Read-only facts about the organization. */
export function OrgFacts({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title" className="panel-title">{t('ui.general.facts')}</h2>
      <dl className="facts">
        <div><dt>{t('ui.general.type')}</dt><dd><TypeBadge type={org.type} /></dd></div>
        <div><dt>{t('ui.general.members')}</dt><dd>{format.number(org.facts.members)}</dd></div>
        <div><dt>{t('ui.general.products')}</dt><dd>{format.number(org.facts.products)}</dd></div>
        <div><dt>{t('ui.general.subOrganizations')}</dt><dd>{format.number(org.facts.subOrganizations)}</dd></div>
        <div><dt>{t('ui.general.created')}</dt><dd><time dateTime={org.createdAt}>{format.date(org.createdAt)}</time></dd></div>
        <div>
          <dt>{t('ui.general.lastUpdated')}</dt>
          <dd>
            <time dateTime={org.updatedAt}>{format.dateTime(org.updatedAt)}</time>
            <br />
            <span className="muted"><ActorText actor={org.updatedBy} /></span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
