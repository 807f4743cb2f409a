import { create } from 'zustand';

/**
 * A scope another tab opens the Audit tab with ("View audit log" in Reports: every `reports.*`
 * action). The Audit tab shows it as a removable filter and forgets it when it closes.
 */
interface AuditScopeState {
  actionPrefix: string | null;
  /** What the filter chip says (already translated by the tab that set it). */
  label: string | null;
  open(actionPrefix: string, label: string): void;
  clear(): void;
}

export const useAuditScope = create<AuditScopeState>()((set) => ({
  actionPrefix: null,
  label: null,
  open: (actionPrefix, label) => set({ actionPrefix, label }),
  clear: () => set({ actionPrefix: null, label: null }),
}));
