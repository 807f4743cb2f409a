import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface DropZoneProps {
  /** Accessible name of the file input (e.g. "Logo"). */
  label: string;
  accept: string;
  onFile(file: File): void;
  children?: ReactNode;
  describedBy?: string;
  /** The "drop here" sentence (defaults to the image one). */
  dropHint?: string;
}

/**
 * Drop a file, or choose one with a real button (keyboard: Tab to it, Enter/Space).
 * The <input type=file> stays in the DOM for assistive tech and automation but out of the tab order.
 */
export function DropZone({ label, accept, onFile, children, describedBy, dropHint }: DropZoneProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) onFile(file);
      }}
    >
      {children}
      <div className="dropzone-actions">
        <span className="dropzone-hint">{dropHint ?? t('ui.branding.drop')}</span>
        <span className="dropzone-or">{t('ui.branding.or')}</span>
        <button type="button" className="button button-small" onClick={() => input.current?.click()} aria-describedby={describedBy}>
          {t('ui.branding.choose')}
        </button>
      </div>
      <input
        ref={input}
        type="file"
        accept={accept}
        className="visually-hidden"
        tabIndex={-1}
        aria-label={label}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) onFile(file);
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
