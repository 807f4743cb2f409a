import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredImage } from '../../../shared/model/branding.ts';
import type { ImageSlot } from '../../../shared/rules/image.ts';
import { DropZone } from '../../components/DropZone.tsx';
import { useFormat } from '../../i18n/format.ts';
import type { ImageDraft, ImageProblem } from './image-file.ts';

interface ImageSlotEditorProps {
  slot: ImageSlot;
  saved: StoredImage | null;
  draft: ImageDraft | undefined;
  problem: ImageProblem | undefined;
  onFile(file: File): void;
  onRemove(): void;
  onUndo(): void;
}

const MIME_LABEL: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' };

export function ImageSlotEditor({ slot, saved, draft, problem, onFile, onRemove, onUndo }: ImageSlotEditorProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  const helpId = useId();
  const errorId = useId();
  const label = t(slot === 'logo' ? 'ui.branding.logo' : 'ui.branding.cover');

  const shown = draft?.kind === 'new'
    ? { url: draft.previewUrl, mime: draft.info.mime, width: draft.info.width, height: draft.info.height, bytes: draft.bytes }
    : draft?.kind === 'remove' || !saved
      ? null
      : { url: saved.dataUrl, mime: saved.mime, width: saved.width, height: saved.height, bytes: saved.bytes };

  return (
    <div className={`image-slot image-slot-${slot} ${problem ? 'field-invalid' : ''}`} role="group" aria-labelledby={labelId}>
      <div className="field-label-row">
        <span id={labelId} className="field-label">{label}</span>
        {draft?.kind === 'new' && <span className="pill pill-pending">{t('ui.branding.pending')}</span>}
        {draft?.kind === 'remove' && <span className="pill pill-pending">{t('ui.branding.willRemove')}</span>}
      </div>
      <DropZone label={label} accept="image/png,image/jpeg,image/webp" onFile={onFile} describedBy={`${helpId}${problem ? ` ${errorId}` : ''}`}>
        <div className="image-preview">
          {shown ? (
            <img src={shown.url} alt={`${label} — ${t('ui.branding.preview')}`} data-testid={`${slot}-preview`} />
          ) : (
            <span className="image-none">{t('ui.branding.none')}</span>
          )}
        </div>
      </DropZone>
      {shown && (
        <p className="image-info">
          {t('ui.branding.imageInfo', { type: MIME_LABEL[shown.mime] ?? shown.mime, width: shown.width, height: shown.height, size: format.bytes(shown.bytes) })}
        </p>
      )}
      {problem ? (
        <p id={errorId} className="field-error" role="alert">{t(problem.key, { ...problem.params, defaultValue: problem.key })}</p>
      ) : (
        <p id={helpId} className="field-help">{t(slot === 'logo' ? 'ui.branding.logoHelp' : 'ui.branding.coverHelp')}</p>
      )}
      <div className="image-actions">
        {draft ? (
          <button type="button" className="button button-small" onClick={onUndo}>{t('ui.branding.undo')}</button>
        ) : null}
        {(draft?.kind === 'new' || (saved && draft?.kind !== 'remove')) && (
          <button type="button" className="button button-small button-ghost-danger" onClick={onRemove}>
            {t('ui.branding.remove')} <span className="visually-hidden">({label})</span>
          </button>
        )}
      </div>
    </div>
  );
}
