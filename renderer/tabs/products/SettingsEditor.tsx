import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import {
  ANALYZER_PROXY_MODES, EVENT_LOG_LEVELS, REMOTE_ASSISTANCE_TYPES, RUN_AS_SYSTEM_ROLES, SECURITY_MODES,
  type AgentSettingKey, type AgentSettings, type EventLogIds,
} from '../../../shared/model/products.ts';
import { SIMPLIFIED_SECURITY_LIMITATIONS } from '../../../shared/rules/products.ts';
import type { FieldIssue } from '../../../shared/model/errors.ts';
import { issueText } from '../../components/errors.ts';
import { EventIdTags } from './EventIdTags.tsx';

interface SettingsEditorProps {
  /** What each control shows: the draft (product) or the effective value (group). */
  value: AgentSettings;
  hidden: readonly string[];
  minAgentVersion: string;
  issues: Record<string, FieldIssue[]>;
  onChange(key: AgentSettingKey, next: unknown): void;
  /** Group mode: a checkbox per setting; a setting not overridden shows the product's value, read-only. */
  overridden?: ReadonlySet<string>;
  differs?: ReadonlySet<string>;
  onOverride?(key: AgentSettingKey, on: boolean): void;
  idPrefix: string;
}

/** The agent settings as controls, for a product or (with `overridden`) for a reporting group. */
export function SettingsEditor(props: SettingsEditorProps) {
  const { t } = useTranslation();
  const { value, hidden, issues, onChange, overridden, onOverride, differs, idPrefix } = props;
  const shown = (k: AgentSettingKey) => !hidden.includes(k);
  const locked = (k: AgentSettingKey) => overridden !== undefined && !overridden.has(k);
  const err = (k: string) => (issues[k]?.[0] ? issueText(t, issues[k][0]) : null);
  const id = (k: string) => `${idPrefix}-${k}`;

  const row = (k: AgentSettingKey, title: string, control: ReactNode, extra?: ReactNode) => (
    <div className={`setting-row ${locked(k) ? 'is-inherited' : ''}`} data-setting={k}>
      <div className="setting-head">
        <span className="setting-title" id={id(`${k}-title`)}>{title}</span>
        {overridden && onOverride && (
          <label className="checkbox setting-override">
            <input type="checkbox" checked={overridden.has(k)} onChange={(e) => onOverride(k, e.target.checked)} aria-label={t('ui.products.groups.overrideOf', { setting: title })} />
            <span>{t('ui.products.groups.override')}</span>
          </label>
        )}
        {differs?.has(k) && <span className="badge badge-warn">{t('ui.products.groups.differs')}</span>}
      </div>
      {control}
      {err(k) && <p className="field-error" role="alert">{err(k)}</p>}
      {extra}
    </div>
  );

  const select = <T extends string>(k: AgentSettingKey, options: readonly T[], labels: string) => (
    <select className="input" aria-labelledby={id(`${k}-title`)} value={String(value[k])} disabled={locked(k)} onChange={(e) => onChange(k, e.target.value)}>
      {options.map((o) => <option key={o} value={o}>{t(`${labels}.${o}`)}</option>)}
    </select>
  );
  const radios = <T extends string>(k: AgentSettingKey, options: readonly T[], labels: string) => (
    <div className="radio-row" role="radiogroup" aria-labelledby={id(`${k}-title`)}>
      {options.map((o) => (
        <label key={o} className="checkbox">
          <input type="radio" name={id(k)} value={o} checked={value[k] === o} disabled={locked(k)} onChange={() => onChange(k, o)} />
          <span>{t(`${labels}.${o}`)}</span>
        </label>
      ))}
    </div>
  );
  const toggle = (k: AgentSettingKey, label: string) => (
    <label className="switch">
      <input type="checkbox" role="switch" checked={Boolean(value[k])} disabled={locked(k)} onChange={(e) => onChange(k, e.target.checked)} />
      <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
      <span>{label}</span>
    </label>
  );

  return (
    <div className="settings-editor">
      {shown('uninstallProtection') && row('uninstallProtection', t('ui.products.agent.uninstallProtection'),
        toggle('uninstallProtection', t('ui.products.agent.uninstallProtectionOn')),
        <p className="field-help">{t('ui.products.agent.minAgent', { version: props.minAgentVersion })}</p>)}

      {row('eventLogIds', t('ui.products.agent.eventLogIds'), (
        <div className="event-levels">
          {EVENT_LOG_LEVELS.map((level) => (
            <EventIdTags
              key={level}
              label={t(`ui.products.agent.levels.${level}`)}
              value={value.eventLogIds[level]}
              disabled={locked('eventLogIds')}
              error={err(`eventLogIds.${level}`)}
              onChange={(next) => onChange('eventLogIds', { ...value.eventLogIds, [level]: next } satisfies EventLogIds)}
            />
          ))}
        </div>
      ))}

      {row('remoteAssistance', t('ui.products.agent.remoteAssistance'), select('remoteAssistance', REMOTE_ASSISTANCE_TYPES, 'ui.products.agent.remoteTypes'))}

      {shown('runAsSystemRole') && row('runAsSystemRole', t('ui.products.agent.runAsSystem'),
        select('runAsSystemRole', RUN_AS_SYSTEM_ROLES, 'ui.products.agent.runAsRoles'),
        value.runAsSystemRole !== 'nobody' && <p className="alert alert-warning" role="note">{t('ui.products.agent.runAsRisk')}</p>)}

      {row('securityMode', t('ui.products.agent.security'), radios('securityMode', SECURITY_MODES, 'ui.products.agent.securityModes'),
        value.securityMode === 'simplified' && (
          <div className="alert alert-info" role="note">
            <div>
              <strong>{t('ui.products.agent.limitationsTitle')}</strong>
              <ul className="limitations">
                {SIMPLIFIED_SECURITY_LIMITATIONS.map((l) => <li key={l}>{t(`ui.products.agent.limitations.${l}`)}</li>)}
              </ul>
            </div>
          </div>
        ))}

      {shown('silentUnattended') && row('silentUnattended', t('ui.products.agent.silent'),
        toggle('silentUnattended', t('ui.products.agent.silentOn')),
        <p className="field-help">{t('ui.products.agent.silentHelp')}</p>)}

      {row('analyzerProxy', t('ui.products.agent.analyzerProxy'), radios('analyzerProxy', ANALYZER_PROXY_MODES, 'ui.products.agent.proxyModes'))}
    </div>
  );
}
