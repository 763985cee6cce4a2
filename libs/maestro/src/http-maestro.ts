import { z } from 'zod';
import type { Maestro, MaestroAnswer, MaestroQuestion } from './maestro.port';

const answerSchema = z.strictObject({ followUp: z.boolean(), reason: z.string().min(1).max(2000) });
const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

const SYSTEM_PROMPT =
  'You decide whether a CRM follow-up cadence should start now for a contact. Answer only with a JSON object ' +
  '{"followUp": boolean, "reason": string} and nothing else.';

/** The Maestro over an OpenAI-compatible chat-completions endpoint, asking for a strict JSON answer. */
export class HttpMaestro implements Maestro {
  constructor(
    private readonly baseUrl: string,
    private readonly model: string,
    private readonly apiKey: string | undefined,
  ) {}

  async assess(question: MaestroQuestion, signal: AbortSignal): Promise<MaestroAnswer> {
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: JSON.stringify(question) },
        ],
      }),
    });
    if (!response.ok) throw new Error(`Maestro answered HTTP ${response.status}`);
    const completion = completionSchema.parse(await response.json());
    const [choice] = completion.choices;
    if (!choice) throw new Error('the Maestro answered without a choice');
    return answerSchema.parse(JSON.parse(choice.message.content));
  }
}
