import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { SUPPORTED_UI_LANGUAGES, type UiLanguage } from '../../shared/i18n/index.ts';

export const RECENT_LIMIT = 8;
export const TABS = ['general', 'branding', 'microservices', 'reports', 'authentication', 'products', 'modules', 'domains', 'sso', 'scim', 'apiKeys', 'users', 'directories', 'audit'] as const;
export type TabId = (typeof TABS)[number];

export function defaultUiLanguage(): UiLanguage {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((SUPPORTED_UI_LANGUAGES as readonly string[]).includes(base)) return base as UiLanguage;
  }
  return 'en';
}

interface SessionState {
  currentOrgId: string | null;
  recent: string[];
  tab: TabId;
  language: UiLanguage;
  selectOrg(id: string): void;
  forgetOrg(id: string): void;
  setTab(tab: TabId): void;
  setLanguage(language: UiLanguage): void;
}

/** UI-only state that survives a restart: where you were, what you visited, your language. */
export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      currentOrgId: null,
      recent: [],
      tab: 'general',
      language: defaultUiLanguage(),
      selectOrg: (id) =>
        set((s) => ({
          currentOrgId: id,
          recent: [id, ...s.recent.filter((r) => r !== id)].slice(0, RECENT_LIMIT),
        })),
      forgetOrg: (id) =>
        set((s) => ({
          currentOrgId: s.currentOrgId === id ? null : s.currentOrgId,
          recent: s.recent.filter((r) => r !== id),
        })),
      setTab: (tab) => set({ tab }),
      setLanguage: (language) => set({ language }),
    }),
    {
      name: 'orgdesk.session',
      version: 1,
      partialize: (s) => ({ currentOrgId: s.currentOrgId, recent: s.recent, tab: s.tab, language: s.language }),
    },
  ),
);

/** Panels that open from anywhere (header, shortcuts, empty state). */
interface PanelsState {
  palette: boolean;
  create: { type: 'partner' | 'client' | 'suborg'; parentId: string | null } | null;
  profile: boolean;
  /** The app-level Email delivery dialog (SMTP settings and outbox), on one of its tabs. */
  mail: 'settings' | 'outbox' | null;
  openPalette(open: boolean): void;
  openCreate(create: PanelsState['create']): void;
  openProfile(open: boolean): void;
  openMail(mail: PanelsState['mail']): void;
}

export const usePanels = create<PanelsState>()((set) => ({
  palette: false,
  create: null,
  profile: false,
  mail: null,
  openPalette: (palette) => set({ palette }),
  openCreate: (create) => set({ create }),
  openProfile: (profile) => set({ profile }),
  openMail: (mail) => set({ mail }),
}));
