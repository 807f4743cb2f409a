import type { ReactNode } from 'react';

/**
 * What a list shows when it has nothing yet (or nothing matches): what is missing, optionally why
 * or what to do, and the actions that fill it. One look and one structure for every tab.
 */
export function EmptyNotice({ title, help, children, testId }: { title: string; help?: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-inline" data-testid={testId}>
      <p className="empty-title">{title}</p>
      {help && <p className="muted empty-help">{help}</p>}
      {children && <div className="empty-actions">{children}</div>}
    </div>
  );
}
