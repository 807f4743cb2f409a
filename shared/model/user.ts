import { z } from 'zod';
import { Actor, Email, Id } from './organization.ts';

import { USER_STATUSES, USER_SOURCES } from './user-values.ts';

export { USER_STATUSES, USER_SOURCES, type UserStatus, type UserSource } from './user-values.ts';

export const Role = z.object({ id: z.string(), name: z.string(), description: z.string(), builtIn: z.boolean() });
export type Role = z.output<typeof Role>;

export const UserRow = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  email: z.string(),
  roleId: z.string(),
  roleName: z.string(),
  status: z.enum(USER_STATUSES),
  source: z.enum(USER_SOURCES),
  emailLoginEnabled: z.boolean(),
  /** How the user signs in, derived: 'email' (email and password) or 'none' yet (SSO comes with its feature). */
  signIn: z.enum(['email', 'none']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  updatedAt: z.string(),
  updatedBy: Actor.nullable(),
  version: z.number().int(),
});
export type UserRow = z.output<typeof UserRow>;

export const USER_SORTS = ['name', 'email', 'role', 'organization', 'status', 'source', 'createdAt', 'lastLogin'] as const;

export const UserListQuery = z.object({
  orgId: Id,
  includeSubOrgs: z.boolean().default(false),
  query: z.string().max(200).default(''),
  status: z.enum(USER_STATUSES).optional(),
  roleId: z.string().optional(),
  source: z.enum(USER_SOURCES).optional(),
  sort: z.enum(USER_SORTS).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export const NewUser = z.object({
  orgId: Id,
  name: z.string({ error: 'user.name_required' }).trim().min(1, { error: 'user.name_required', abort: true })
    .max(100, { error: 'user.name_too_long' }),
  email: Email,
  roleId: z.string({ error: 'user.role_required' }).min(1, { error: 'user.role_required' }),
  emailLoginEnabled: z.boolean().default(false),
});

export const UserIds = z.array(Id).min(1, { error: 'user.select_some' }).max(200_000);
