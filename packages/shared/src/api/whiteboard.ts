import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { AnnotationElementSchema } from '../annotations/element.ts';
import { WHITEBOARD_LIMITS } from '../annotations/whiteboard.ts';
import { utf8ByteLength } from '../calendar/utf8.ts';
import { TimestampSchema } from './common.ts';

/**
 * A meeting's whiteboard (issue 15), as the server keeps it: every element record that won the
 * merge, tombstones included (annotations/whiteboard.ts). `updatedAt` is null for a board nobody
 * drew on yet.
 */
export const WhiteboardSchema = lazySchema(() =>
  z.object({
    elements: z.array(AnnotationElementSchema),
    updatedAt: TimestampSchema.nullable(),
  }),
);
export type Whiteboard = z.infer<typeof WhiteboardSchema>;

/** POST /meetings/:meetingId/whiteboard/elements: the caller's own new records (or hosts' tombstones). */
export const SaveWhiteboardRequestSchema = lazySchema(() =>
  z
    .object({
      elements: z.array(AnnotationElementSchema).min(1).max(WHITEBOARD_LIMITS.recordsPerSave),
    })
    .strict()
    .refine(({ elements }) => utf8ByteLength(JSON.stringify(elements)) <= WHITEBOARD_LIMITS.saveBytes, {
      message: `more than ${WHITEBOARD_LIMITS.saveBytes} bytes of records`,
      path: ['elements'],
    }),
);
export type SaveWhiteboardRequest = z.infer<typeof SaveWhiteboardRequestSchema>;

/** How many of the saved records changed the board (the rest had already lost the merge). */
export const SaveWhiteboardResultSchema = lazySchema(() => z.object({ changed: z.number().int().nonnegative() }));
