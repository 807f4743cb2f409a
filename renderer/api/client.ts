import type { In, Method, Out } from '../../shared/contract.ts';
import type { AppErrorShape, ErrorCode, FieldIssue, RpcResult } from '../../shared/model/errors.ts';
import { getTransport, NetworkFailure } from './transport.ts';

export type ClientErrorCode = ErrorCode | 'NETWORK';

/** An error from the core (or from reaching it), with what the UI needs to show it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ClientErrorCode;
  readonly key: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly fields: Record<string, FieldIssue[]> | undefined;

  constructor(shape: Omit<AppErrorShape, 'code'> & { code: ClientErrorCode }) {
    super(shape.message);
    this.code = shape.code;
    this.key = shape.key;
    this.params = shape.params;
    this.fields = shape.fields;
  }
}

function isRpcResult(value: unknown): value is RpcResult {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

async function call<M extends Method>(method: M, input: In<M>): Promise<Out<M>> {
  let result: unknown;
  try {
    result = await getTransport().call(method, input);
  } catch (e) {
    if (e instanceof NetworkFailure || e instanceof TypeError) {
      throw new ApiError({ code: 'NETWORK', message: 'Orgdesk cannot reach its core. Check that it is still running, then try again.', key: 'ui.errors.network' });
    }
    throw new ApiError({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), key: 'common.internal' });
  }
  if (!isRpcResult(result)) {
    throw new ApiError({ code: 'INTERNAL', message: 'Unexpected answer from the core.', key: 'common.internal' });
  }
  if (result.ok) return result.value as Out<M>;
  throw new ApiError(result.error);
}

export const api = { call };

/** Field problems from the core, keyed by the form's own field names ("changes.email" -> "email"). */
export function fieldIssues(error: unknown, prefix = ''): Record<string, FieldIssue> {
  const out: Record<string, FieldIssue> = {};
  if (!(error instanceof ApiError) || !error.fields) return out;
  for (const [path, issues] of Object.entries(error.fields)) {
    const name = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    if (issues[0]) out[name] = issues[0];
  }
  return out;
}
