import { z } from 'zod';
import { readBoundedText } from './bounded-body';
import { UnreadableAnswerError } from './maestro-answer';
import type { Maestro, MaestroQuestion } from './maestro.port';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

const SYSTEM_PROMPT =
  'You decide whether a CRM follow-up cadence should start now for a contact. The user message is JSON: the ' +
  'event that cued the cadence and the conversation’s last messages (recentMessages, oldest first). Answer ' +
  'only with a JSON object {"followUp": boolean, "reason": string} and nothing else; the reason is one sentence.';

/** JSON.parse that says what it could not read, without quoting the (untrusted) text in its message. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableAnswerError(`${what} is not JSON`);
  }
}

/**
 * The Maestro over an OpenAI-compatible chat-completions endpoint, asking for a strict JSON answer. It reads
 * at most `ANSWER_BYTES_MAX` of the response and returns the answer's JSON unchecked: the gate checks it.
 */
export class HttpMaestro implements Maestro {
  constructor(
    private readonly baseUrl: string,
    private readonly model: string,
    private readonly apiKey: string | undefined,
  ) {}

  async assess(question: MaestroQuestion, signal: AbortSignal): Promise<unknown> {
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
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`Maestro answered HTTP ${response.status}`);
    }
    const completion = completionSchema.safeParse(
      parseJson(await readBoundedText(response), 'the Maestro’s response'),
    );
    const choice = completion.success ? completion.data.choices[0] : undefined;
    if (!choice) throw new UnreadableAnswerError('the Maestro’s response is not a chat completion');
    return parseJson(choice.message.content, 'the Maestro’s answer');
  }
}
