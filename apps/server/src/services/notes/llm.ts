import { LlmNotesSchema, type LlmNotes } from '@tandem/shared';
import { z } from 'zod';
import type { NotesInput, NotesProvider, ProposedNotes } from './provider.ts';

/** An OpenAI-compatible chat-completions endpoint IT configured (NOTES_LLM_*). */
export type NotesLlmSettings = {
  /** Up to and including the version, e.g. `https://llm.example/v1`: `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as a bearer token when set; never logged. */
  readonly apiKey: string | null;
  readonly timeoutMs: number;
};

/** The JSON schema sent as `response_format`: what LlmNotesSchema checks on the way back. */
const RESPONSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'items'],
  properties: {
    summary: { type: 'string', description: 'A short, factual summary of the meeting (at most 5 sentences).' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'title', 'owner', 'dueDate', 'segments'],
        properties: {
          kind: { type: 'string', enum: ['decision', 'action'] },
          title: { type: 'string', description: 'What was decided, or the task, in a few words.' },
          owner: { type: ['string', 'null'], description: 'The name of the person it is for, as said.' },
          dueDate: {
            type: ['string', 'null'],
            description: 'YYYY-MM-DD when a day was named, resolved against the date of its segment.',
          },
          segments: {
            type: 'array',
            items: { type: 'integer' },
            description: 'The numbers of the transcript lines it was said in.',
          },
        },
      },
    },
  },
} as const;

const INSTRUCTIONS = [
  'You write meeting notes from a transcript. Each transcript line is numbered and carries when it was said and who said it.',
  'List only decisions the meeting actually took and action items someone was actually asked or promised to do.',
  'Never invent an item, an owner or a date. owner is the name of the person the task is for, exactly as spoken; null when nobody was named.',
  'dueDate only when a day was named; resolve words like "Friday" against the date of the line, in the given time zone.',
  'segments: the numbers of the lines each item was said in. Answer JSON only, following the schema.',
].join(' ');

const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** Why a model's answer was not used (the extractor's notes are used instead). */
export class LlmNotesError extends Error {}

function prompt(input: NotesInput): string {
  const lines = input.segments.map((s, i) => `${i} [${s.startedAt}] ${s.speaker.name}: ${s.text}`);
  return [
    `Meeting: ${input.meetingTitle}`,
    `Time zone: ${input.timeZone}`,
    `People in the meeting: ${input.people.map((p) => p.name).join(', ')}`,
    'Transcript:',
    ...lines,
  ].join('\n');
}

/** The model's items as the service takes them: line numbers become segment ids (an unknown number is a bad answer). */
function proposed(input: NotesInput, answer: LlmNotes): ProposedNotes {
  return {
    summary: answer.summary.trim(),
    items: answer.items.map((item) => ({
      kind: item.kind,
      title: item.title,
      owner: item.owner === null || item.owner.trim() === '' ? null : { name: item.owner.trim(), userId: null },
      dueDate: item.dueDate,
      segmentIds: [
        ...new Set(
          item.segments.map((n) => {
            const segment = input.segments[n];
            if (segment === undefined) throw new LlmNotesError(`the answer cites line ${n}, which does not exist`);
            return segment.id;
          }),
        ),
      ],
    })),
  };
}

/**
 * Notes from an OpenAI-compatible model: one chat completion asking for JSON that follows
 * RESPONSE_SCHEMA. An unreachable endpoint, an HTTP error, a timeout or an answer that does not
 * validate throws `LlmNotesError`; `withFallback` then uses the extractor.
 */
export function llmProvider(settings: NotesLlmSettings, fetchImpl: typeof fetch = fetch): NotesProvider {
  const url = `${settings.baseUrl.replace(/\/+$/u, '')}/chat/completions`;
  return {
    name: 'llm',
    async propose(input) {
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: 'POST',
          redirect: 'error',
          signal: AbortSignal.timeout(settings.timeoutMs),
          headers: {
            'content-type': 'application/json',
            ...(settings.apiKey === null ? {} : { authorization: `Bearer ${settings.apiKey}` }),
          },
          body: JSON.stringify({
            model: settings.model,
            temperature: 0,
            messages: [
              { role: 'system', content: INSTRUCTIONS },
              { role: 'user', content: prompt(input) },
            ],
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'meeting_notes', strict: true, schema: RESPONSE_SCHEMA },
            },
          }),
        });
      } catch (e) {
        throw new LlmNotesError(`the model could not be reached: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!response.ok) throw new LlmNotesError(`the model answered HTTP ${response.status}`);
      const completion = CompletionSchema.safeParse(await response.json().catch(() => null));
      if (!completion.success) throw new LlmNotesError('the answer is not a chat completion');
      let content: unknown;
      try {
        content = JSON.parse(completion.data.choices[0]?.message.content ?? '');
      } catch {
        throw new LlmNotesError('the answer is not JSON');
      }
      const notes = LlmNotesSchema.safeParse(content);
      if (!notes.success) throw new LlmNotesError(`the answer does not follow the schema: ${notes.error.message}`);
      return proposed(input, notes.data);
    },
  };
}

/** The model's notes, or the extractor's when the model fails; `failed` hears why. */
export function withFallback(
  primary: NotesProvider,
  fallback: NotesProvider,
  failed: (error: unknown) => void,
): { propose(input: NotesInput): Promise<ProposedNotes & { provider: NotesProvider['name'] }> } {
  return {
    async propose(input) {
      try {
        return { ...(await primary.propose(input)), provider: primary.name };
      } catch (e) {
        failed(e);
        return { ...(await fallback.propose(input)), provider: fallback.name };
      }
    },
  };
}
