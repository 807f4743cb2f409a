import { useSession, type TabId } from '../state/session.ts';

/**
 * A setting made on the main organization and inherited here, shown read-only: says where it is
 * set, with a button that opens that organization on the same tab.
 */
export function InheritedNotice({ text, goLabel, mainOrgId, tab }: { text: string; goLabel: string; mainOrgId: string; tab: TabId }) {
  const selectOrg = useSession((s) => s.selectOrg);
  const setTab = useSession((s) => s.setTab);
  return (
    <div className="alert alert-info" role="note">
      <span>{text}</span>
      <button type="button" className="button button-small" onClick={() => { selectOrg(mainOrgId); setTab(tab); }}>
        {goLabel}
      </button>
    </div>
  );
}
