/** The entities of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

export const scimEntities = {
  scimUser: {
    type: 'scimUser',
    table: 'scim_users',
    key: 'user_id',
    fields: {
      orgId: f('org_id'),
      connectionId: f('connection_id'),
      userName: f('user_name'),
      externalId: f('external_id'),
      active: f('active', 'bool'),
      resource: f('resource', 'json'),
    },
    derived: { user_name_fold: { from: 'userName', compute: (v) => String(v).toLowerCase() } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `SCIM ${String(row.userName ?? '')}`,
  },
  scimGroup: {
    type: 'scimGroup',
    table: 'scim_groups',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      connectionId: f('connection_id'),
      displayName: f('display_name'),
      externalId: f('external_id'),
      memberCount: f('member_count'),
      roleId: f('role_id'),
      targetOrgId: f('target_org_id'),
    },
    derived: { display_fold: { from: 'displayName', compute: (v) => String(v).toLowerCase() } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.displayName ?? ''),
  },
  scimMember: {
    type: 'scimMember',
    table: 'scim_group_members',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      groupId: f('group_id'),
      userId: f('user_id'),
    },
    orgIdOf: (row) => row.orgId as string,
    // On create the SCIM server passes userLabel/groupLabel (not columns) so the audit names both.
    label: (row) => `${String(row.userLabel ?? row.userId ?? '')} in ${String(row.groupLabel ?? row.groupId ?? '')}`,
  },
  scimSettings: {
    type: 'scimSettings',
    table: 'scim_settings',
    key: 'org_id',
    fields: {
      archivedRetentionDays: f('archived_retention_days'),
    },
    orgIdOf: (row) => row.id as string,
    label: () => 'SCIM provisioning settings',
  },
} satisfies Record<string, EntitySpec>;
