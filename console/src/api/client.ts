/**
 * The console's one API client: same-origin fetch with the signed-in key. Every error is the API's problem
 * (application/problem+json) thrown as an ApiError; a 401 also signs the console out.
 */
import { session } from '../session';
import type {
  Accepted,
  Account,
  AccountChange,
  ApiKey,
  AuditEntry,
  BulkAccepted,
  BulkProgress,
  DeadLetterTopics,
  DeadLetters,
  Decision,
  Enrollment,
  EnrollmentDetail,
  EventWhy,
  Funnel,
  InactivityWhy,
  IssuedApiKey,
  KeyScope,
  Page,
  Problem,
  ReplayResult,
  RequestAnswer,
  Sequence,
  SequenceVersion,
} from './types';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && 'status' in body && 'title' in body;

async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: string,
  body?: unknown,
  key: string | null = session.key(),
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'the API did not answer; check that it is running and reload',
      code: 'network_error',
    });
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (response.ok) return parsed as T;
  const problem: Problem = isProblem(parsed)
    ? parsed
    : {
        type: 'about:blank',
        title: response.statusText,
        status: response.status,
        detail: text,
        code: 'http',
      };
  // Only the signed-in key's own refusal ends the session, not a sign-in attempt with another key.
  if (response.status === 401 && key !== null && key === session.key())
    session.signOut('Your API key was refused (revoked or unknown). Sign in again with a valid key.');
  throw new ApiError(problem);
}

const query = (params: Record<string, string | number | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

const segment = encodeURIComponent;

export interface EnrollmentFilters {
  sequenceId?: string;
  state?: string;
  method?: string;
  contactId?: string;
}

export const api = {
  /** Checks a key before it is kept: who it signs in as. */
  verifyKey: (key: string) => request<Account>('GET', '/v1/account', undefined, key),
  account: () => request<Account>('GET', '/v1/account'),
  updateAccount: (change: AccountChange) => request<Account>('PATCH', '/v1/account', change),

  enrollments: (filters: EnrollmentFilters, cursor: string | null, limit = 25) =>
    request<Page<Enrollment>>('GET', `/v1/enrollments${query({ ...filters, cursor, limit })}`),
  enrollment: (id: string) => request<EnrollmentDetail>('GET', `/v1/enrollments/${segment(id)}`),
  transition: (id: string, kind: 'pause' | 'resume' | 'cancel', userId: string) =>
    request<Accepted>('POST', `/v1/enrollments/${segment(id)}/${kind}`, { userId }),
  enrollOne: (body: {
    sequenceId: string;
    contactId: string;
    userId: string;
    target?: { type: string; id: string };
  }) => request<Accepted>('POST', '/v1/enrollments/manual', body),
  enrollMany: (body: { sequenceId: string; userId: string; contacts: Array<{ contactId: string }> }) =>
    request<BulkAccepted>('POST', '/v1/enrollments/bulk', body),
  bulk: (bulkId: string, results = false) =>
    request<BulkProgress>('GET', `/v1/enrollments/bulk/${segment(bulkId)}${results ? '?results=true' : ''}`),

  answer: (requestId: string) => request<RequestAnswer>('GET', `/v1/decisions/${segment(requestId)}`),
  decisionsFor: (contactId: string, sequenceId: string) =>
    request<Decision[]>('GET', `/v1/decisions${query({ contactId, sequenceId })}`),
  eventWhy: (eventId: string) => request<EventWhy>('GET', `/v1/events/${segment(eventId)}`),
  inactivityWhy: (conversationId: string) =>
    request<InactivityWhy>('GET', `/v1/conversations/${segment(conversationId)}/inactivity`),

  sequences: () => request<Sequence[]>('GET', '/v1/sequences'),
  sequence: (id: string) => request<Sequence>('GET', `/v1/sequences/${segment(id)}`),
  sequenceVersion: (id: string, version: number) =>
    request<SequenceVersion>('GET', `/v1/sequences/${segment(id)}/versions/${version}`),
  setSequenceActive: (id: string, active: boolean) =>
    request<Sequence>('POST', `/v1/sequences/${segment(id)}/${active ? 'activate' : 'deactivate'}`),
  funnel: (id: string, version: number) =>
    request<Funnel>('GET', `/v1/sequences/${segment(id)}/funnel${query({ version })}`),

  apiKeys: () => request<{ items: ApiKey[] }>('GET', '/v1/account/api-keys'),
  createApiKey: (name: string, scope: KeyScope) =>
    request<IssuedApiKey>('POST', '/v1/account/api-keys', { name, scope }),
  revokeApiKey: (id: string) => request<ApiKey>('POST', `/v1/account/api-keys/${segment(id)}/revoke`),
  rotateApiKey: (id: string) => request<IssuedApiKey>('POST', `/v1/account/api-keys/${segment(id)}/rotate`),
  audit: (cursor: string | null) =>
    request<Page<AuditEntry>>('GET', `/v1/account/audit${query({ limit: 25, cursor })}`),

  deadLetterTopics: () => request<DeadLetterTopics>('GET', '/v1/dead-letters'),
  deadLetters: (topic: string) => request<DeadLetters>('GET', `/v1/dead-letters/${segment(topic)}?limit=20`),
  replayDeadLetters: (topic: string) =>
    request<ReplayResult>('POST', `/v1/dead-letters/${segment(topic)}/replay`),
};
