import { useEffect } from 'react';
import {
  QueryClient, useMutation, useQuery, useQueryClient, type UseQueryOptions,
} from '@tanstack/react-query';
import type { In, Method, Out } from '../../shared/contract.ts';
import { api, ApiError } from './client.ts';
import { getTransport } from './transport.ts';

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.code !== 'NETWORK') && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export const queryKey = <M extends Method>(method: M, input: In<M>) => [method, input] as const;

/** A contract query: key [method, input]. */
export function useApiQuery<M extends Method, S = Out<M>>(
  method: M,
  input: In<M>,
  options?: Omit<UseQueryOptions<Out<M>, ApiError, S, readonly [M, In<M>]>, 'queryKey' | 'queryFn'>,
) {
  return useQuery<Out<M>, ApiError, S, readonly [M, In<M>]>({
    queryKey: queryKey(method, input),
    queryFn: () => api.call(method, input),
    ...options,
  });
}

/** A contract mutation; on success every query is marked stale (the core also pushes data.changed). */
export function useApiMutation<M extends Method>(method: M) {
  const client = useQueryClient();
  return useMutation<Out<M>, ApiError, In<M>>({
    mutationFn: (input) => api.call(method, input),
    // Not awaited: the caller's own success handling (select, toast) runs first.
    onSuccess: () => {
      void client.invalidateQueries();
    },
  });
}

/** Refetch what the core says changed (all queries: cheap at this size) and after a reconnect. */
export function useCoreEvents() {
  const client = useQueryClient();
  useEffect(() => {
    const transport = getTransport();
    const off = transport.subscribe('data.changed', () => void client.invalidateQueries());
    transport.onReconnect?.(() => void client.invalidateQueries());
    return off;
  }, [client]);
}
