/** Every contract method of API keys and the Portal REST API (issue #5) (shared/contract-api-keys.ts). */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';
import { createApiKeyStore } from './keys.ts';
import { createRestOperations } from './rest.ts';

export function createApiKeysHandlers(deps: CoreDeps, services: { transfers: TransferStore }) {
  const keys = createApiKeyStore(deps);
  const rest = createRestOperations(deps, keys, services.transfers);
  return {
    'apiKeys.list': (input: ParsedIn<'apiKeys.list'>): Out<'apiKeys.list'> => ({ items: keys.list(input.orgId) }),
    'apiKeys.create': (input: ParsedIn<'apiKeys.create'>, ctx: CallContext): Promise<Out<'apiKeys.create'>> => keys.create(input, ctx.actor),
    'apiKeys.revoke': (input: ParsedIn<'apiKeys.revoke'>, ctx: CallContext): Promise<Out<'apiKeys.revoke'>> => keys.revoke(input.id, ctx.actor),

    'api.authorize': (input: ParsedIn<'api.authorize'>): Out<'api.authorize'> => rest.authorize(input),
    'api.organizations': (input: ParsedIn<'api.organizations'>): Out<'api.organizations'> => rest.organizations(input),
    'api.usersList': (input: ParsedIn<'api.usersList'>): Out<'api.usersList'> => rest.usersList(input),
    'api.usersGet': (input: ParsedIn<'api.usersGet'>): Out<'api.usersGet'> => rest.usersGet(input),
    'api.usersCreate': (input: ParsedIn<'api.usersCreate'>): Promise<Out<'api.usersCreate'>> => rest.usersCreate(input),
    'api.usersUpdate': (input: ParsedIn<'api.usersUpdate'>): Out<'api.usersUpdate'> => rest.usersUpdate(input),
    'api.usersImport': (input: ParsedIn<'api.usersImport'>): Promise<Out<'api.usersImport'>> => rest.usersImport(input),
  };
}
