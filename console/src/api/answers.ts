import { api } from './client';
import type { RequestAnswer } from './types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A request's answer once it has one: the decision of an enroll, the change a pause/resume/cancel made (or
 * why none). Polls while the API says `pending`; after `timeoutMs` answers the pending one as it stands.
 */
export async function settledAnswer(requestId: string, timeoutMs = 15_000): Promise<RequestAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 150; ; wait = Math.min(wait * 1.5, 1000)) {
    const answer = await api.answer(requestId);
    if (answer.status !== 'pending' || Date.now() > deadline) return answer;
    await sleep(wait);
  }
}
