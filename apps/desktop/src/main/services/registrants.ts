import { SPECIAL_PATHS } from '@tandem/shared';
import type { ApiFile } from './apiClient.ts';
import type { Session } from './session.ts';

/**
 * A webinar's registrants with their attendance as CSV (its hosts; the server refuses anyone
 * else). Listing and deciding are forwarded channels; the export is a file, not a JSON answer, so
 * it is fetched here with the session's token and handed to the renderer whole.
 */
export type RegistrantsService = { exportCsv(meetingId: string): Promise<ApiFile> };

export function createRegistrants(deps: { readonly session: Session }): RegistrantsService {
  return {
    exportCsv: (meetingId) =>
      deps.session.file(SPECIAL_PATHS.registrantsCsv.replace(':meetingId', encodeURIComponent(meetingId)), {}),
  };
}
