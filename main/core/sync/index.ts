/** Every contract method of offline-first sync with a Portal server (issue #6) (shared/contract-sync.ts). */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { ParsedIn, Out } from '../../../shared/contract.ts';
import type { CallScope, MutationHooks, Writer } from '../mutations/pipeline.ts';
import { AppError } from '../errors.ts';
import { portalOrigin } from '../../../shared/rules/sync.ts';
import { createSyncClient } from './client.ts';
import { createSyncServer } from './server.ts';
import { createUsersBatchHandlers } from './users-batch.ts';

export function createSyncHandlers(deps: CoreDeps) {
  const server = createSyncServer(deps);
  const client = createSyncClient(deps);
  // One core is a console and may be a Portal: both hooks see every mutation; each acts on its own kind.
  const hooks: MutationHooks = {
    tracking: () => client.hooks.tracking(),
    beforeCommit(writer: Writer, scope: CallScope | undefined) {
      server.hooks.beforeCommit(writer, scope);
      client.hooks.beforeCommit(writer, scope);
    },
  };
  if (deps.mutations.hooks) deps.mutations.hooks.current = hooks;
  deps.sync = { start: client.start, stop: client.stop, longCommitted: client.longCommitted };

  return {
    ...createUsersBatchHandlers(deps),
    'sync.status': (): Out<'sync.status'> => client.status(),
    'sync.connect': async (input: ParsedIn<'sync.connect'>): Promise<Out<'sync.connect'>> => {
      const origin = portalOrigin(input.url);
      if (!origin) throw new AppError('BAD_INPUT', 'sync.url_invalid', undefined, { url: [{ key: 'sync.url_invalid' }] });
      return client.connect(origin, input.token);
    },
    'sync.signIn': async (input: ParsedIn<'sync.signIn'>): Promise<Out<'sync.signIn'>> => {
      const origin = portalOrigin(input.url);
      if (!origin) throw new AppError('BAD_INPUT', 'sync.url_invalid', undefined, { url: [{ key: 'sync.url_invalid' }] });
      return client.signIn(origin, input.email, input.password, input.code);
    },
    'sync.disconnect': (input: ParsedIn<'sync.disconnect'>): Promise<Out<'sync.disconnect'>> => client.disconnect(input.discardPending),
    'sync.now': (input: ParsedIn<'sync.now'>): Promise<Out<'sync.now'>> => client.syncNow(input.wait),
    'sync.setOffline': (input: ParsedIn<'sync.setOffline'>): Out<'sync.setOffline'> => client.setPaused(input.offline),
    'sync.conflicts': (input: ParsedIn<'sync.conflicts'>): Out<'sync.conflicts'> => ({ items: client.conflicts(input.orgId, input.includeResolved) }),
    'sync.resolve': async (input: ParsedIn<'sync.resolve'>, ctx: CallContext): Promise<Out<'sync.resolve'>> => {
      await client.resolve(input.id, input.resolution, ctx);
      return { ok: true };
    },

    'sync.serverHello': (input: ParsedIn<'sync.serverHello'>): Out<'sync.serverHello'> => server.hello(input.token, input.request),
    'sync.serverSignIn': (input: ParsedIn<'sync.serverSignIn'>): Promise<Out<'sync.serverSignIn'>> => server.signIn(input.request, input.ip),
    'sync.serverSignOut': (input: ParsedIn<'sync.serverSignOut'>): Out<'sync.serverSignOut'> => server.signOut(input.token),
    'sync.serverPoke': (input: ParsedIn<'sync.serverPoke'>): Out<'sync.serverPoke'> => server.poke(input.token, input.request.since),
    'sync.credentials': (input: ParsedIn<'sync.credentials'>): Out<'sync.credentials'> => server.credentials(input.userId, input.includeEnded),
    'sync.serverPush': (input: ParsedIn<'sync.serverPush'>): Promise<Out<'sync.serverPush'>> => server.push(input.token, input.request),
    'sync.serverPull': (input: ParsedIn<'sync.serverPull'>): Out<'sync.serverPull'> => server.pull(input.token, input.request),
    'sync.issueToken': (input: ParsedIn<'sync.issueToken'>, ctx: CallContext): Out<'sync.issueToken'> =>
      server.issueToken(ctx.actor, input.userId, input.label),
    'sync.revokeToken': (input: ParsedIn<'sync.revokeToken'>, ctx: CallContext): Out<'sync.revokeToken'> => {
      server.revokeToken(ctx.actor, input.id);
      return { ok: true };
    },
    'sync.compact': (input: ParsedIn<'sync.compact'>): Out<'sync.compact'> =>
      server.compact(new Date(deps.clock.now().getTime() - input.olderThanDays * 86_400_000)),
  };
}
