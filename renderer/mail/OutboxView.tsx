import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery } from '@tanstack/react-query';
import { MAIL_STATUSES, type MailStatus, type OutboxItem } from '../../shared/model/auth.ts';
import { api, type ApiError } from '../api/client.ts';
import { useApiMutation } from '../api/hooks.ts';
import { errorText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { toast } from '../state/toasts.ts';
import { LoadError } from '../components/LoadError.tsx';
import { EmptyNotice } from '../components/EmptyNotice.tsx';

const PAGE = 50;

/** Messages the core queued, newest first, with what happened to each; failed or waiting ones can be retried now. */
export function OutboxView() {
  const { t } = useTranslation();
  const format = useFormat();
  const [status, setStatus] = useState<MailStatus | ''>('');
  const list = useInfiniteQuery<Awaited<ReturnType<typeof fetchPage>>, ApiError>({
    // Under 'mail.outbox.list' so the invalidation after every mutation (and data.changed) refreshes it.
    queryKey: ['mail.outbox.list', { status, paged: true }],
    queryFn: ({ pageParam }) => fetchPage(status, pageParam as string | null),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
    staleTime: 0,
  });
  const retry = useApiMutation('mail.outbox.retry');
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const onRetry = (item: OutboxItem) => {
    retry.mutate({ id: item.id }, {
      onSuccess: () => toast.success(t('ui.mail.retried', { to: item.to })),
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <div className="outbox">
      <div className="outbox-toolbar">
        <p className="muted small outbox-help">{t('ui.mail.outboxHelp')}</p>
        <select className="select outbox-filter" aria-label={t('ui.mail.filterStatus')} value={status} onChange={(e) => setStatus(e.target.value as MailStatus | '')}>
          <option value="">{t('ui.mail.anyStatus')}</option>
          {MAIL_STATUSES.map((s) => <option key={s} value={s}>{t(`ui.mail.status.${s}`)}</option>)}
        </select>
        <button type="button" className="button button-small" onClick={() => void list.refetch()} disabled={list.isFetching}>
          {t('ui.mail.refresh')}
        </button>
      </div>
      {list.isPending ? (
        <p className="muted">{t('ui.app.loading')}</p>
      ) : list.isError ? (
        <LoadError query={list} />
      ) : items.length === 0 ? (
        <EmptyNotice title={status ? t('ui.mail.emptyFiltered') : t('ui.mail.empty')} />
      ) : (
        <div className="outbox-scroll">
          <table className="data-table outbox-table" aria-label={t('ui.mail.outbox')}>
            <thead>
              <tr>
                <th scope="col">{t('ui.mail.columns.message')}</th>
                <th scope="col">{t('ui.mail.columns.status')}</th>
                <th scope="col" className="num">{t('ui.mail.columns.attempts')}</th>
                <th scope="col">{t('ui.mail.columns.next')}</th>
                <th scope="col">{t('ui.mail.columns.lastError')}</th>
                <th scope="col"><span className="visually-hidden">{t('ui.mail.columns.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-status={m.status}>
                  <td className="outbox-message">
                    <span className="outbox-to">{m.to}</span>
                    <span className="outbox-subject">{m.subject}</span>
                    <span className="muted small">
                      {t(`ui.mail.purpose.${m.purpose}`, { defaultValue: m.purpose })} · <time dateTime={m.createdAt}>{format.dateTime(m.createdAt)}</time>
                    </span>
                  </td>
                  <td>
                    <span className={`badge mail-status mail-${m.status}`}>{t(`ui.mail.status.${m.status}`)}</span>
                    {m.sentAt && <span className="muted small outbox-sent"><time dateTime={m.sentAt}>{format.dateTime(m.sentAt)}</time></span>}
                  </td>
                  <td className="num">{format.number(m.attempts)}</td>
                  <td className="nowrap">
                    {m.status === 'queued' && m.nextAttemptAt ? <time dateTime={m.nextAttemptAt}>{format.dateTime(m.nextAttemptAt)}</time> : <span className="muted">—</span>}
                  </td>
                  <td className="outbox-error">{m.lastError ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">
                    {(m.status === 'failed' || m.status === 'queued') && (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={retry.isPending}
                        onClick={() => onRetry(m)}
                        aria-label={t('ui.mail.retryTo', { to: m.to })}
                      >
                        {t('ui.mail.retry')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button type="button" className="button outbox-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('ui.mail.older')}
        </button>
      )}
    </div>
  );
}

function fetchPage(status: MailStatus | '', before: string | null) {
  return api.call('mail.outbox.list', {
    limit: PAGE,
    ...(status ? { status } : {}),
    ...(before ? { before } : {}),
  });
}
