import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQueries, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { In, Out } from '../../../shared/contract.ts';
import type { UserRow } from '../../../shared/model/user.ts';
import { api } from '../../api/client.ts';
import { queryKey } from '../../api/hooks.ts';

/** Rows per users.list call. */
export const PAGE_SIZE = 250;

/** What a list shows, without the paging (offset/limit). */
export type UserFilter = Omit<In<'users.list'>, 'offset' | 'limit'>;

const pageInput = (filter: UserFilter, page: number): In<'users.list'> => ({ ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
const pageKey = (filter: UserFilter, page: number) => queryKey('users.list', pageInput(filter, page));

export function fetchPage(client: QueryClient, filter: UserFilter, page: number): Promise<Out<'users.list'>> {
  return client.fetchQuery({ queryKey: pageKey(filter, page), queryFn: () => api.call('users.list', pageInput(filter, page)), staleTime: 10_000 });
}

/**
 * A list of any size read in pages by offset: the first page gives the total; the pages under the
 * visible window are fetched once the scrolling settles (a fast drag across 100,000 rows does not
 * queue a request per page it crosses); rows not loaded yet are `undefined` (placeholders).
 * Pages stay cached, and a `data.changed` event refetches the ones on screen.
 */
export function useUserPages(filter: UserFilter, visible: { start: number; end: number }) {
  const client = useQueryClient();
  const first = Math.floor(Math.max(0, visible.start) / PAGE_SIZE);
  const last = Math.floor(Math.max(0, visible.end) / PAGE_SIZE);
  const wantedKey = `${first}:${last}`;
  const [settled, setSettled] = useState(wantedKey);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(wantedKey), 90);
    return () => clearTimeout(timer);
  }, [wantedKey]);

  const pages = useMemo(() => {
    const [a, b] = settled.split(':').map(Number) as [number, number];
    const out = new Set<number>([0]);
    for (let p = a; p <= b && out.size < 8; p++) out.add(p);
    return [...out];
  }, [settled]);

  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: pageKey(filter, page),
      queryFn: () => api.call('users.list', pageInput(filter, page)),
      placeholderData: page === 0 ? keepPreviousData : undefined,
      staleTime: 10_000,
    })),
  });
  const head = results[0]!;
  const total = head.data?.total;

  // Read rows straight from the cache so pages loaded earlier show at once while scrolling.
  const rowAt = (index: number): UserRow | undefined => {
    const page = Math.floor(index / PAGE_SIZE);
    const data = client.getQueryData<Out<'users.list'>>(pageKey(filter, page))
      ?? (page === 0 && head.isPlaceholderData ? head.data : undefined);
    return data?.items[index - page * PAGE_SIZE];
  };

  return {
    total,
    rowAt,
    /** The first page of these filters has not answered yet (the total shown is the previous one). */
    isSwitching: head.isPlaceholderData,
    isPending: head.isPending,
    isFetching: results.some((r) => r.isFetching),
    error: results.find((r) => r.error)?.error ?? null,
    refetch: () => head.refetch(),
  };
}

/** Every id matching the filter, minus the unticked ones (for "select all N matching"): one call. */
export async function collectIds(filter: UserFilter, except: ReadonlySet<string>): Promise<string[]> {
  const { sort: _sort, dir: _dir, ...rest } = filter;
  return (await api.call('users.matchingIds', { filter: rest, except: [...except] })).ids;
}
