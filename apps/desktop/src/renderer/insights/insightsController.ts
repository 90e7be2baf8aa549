import type { MeetingInsights, OrganisationInsights, TandemClient } from '@tandem/shared';
import { createContext, useContext } from 'react';

/** What meeting insights ask of main (or the page's server). */
export type InsightsController = {
  /** A meeting's attendance and talk time (its people). */
  meeting(meetingId: string): Promise<MeetingInsights>;
  /** The organisation's last `weeks` weeks and talk-time balance (owners and admins). */
  organisation(weeks: number): Promise<OrganisationInsights>;
};

export function createInsightsController(
  client: Pick<TandemClient, 'insightsMeeting' | 'insightsOrganisation'>,
): InsightsController {
  return {
    meeting: (meetingId) => client.insightsMeeting({ params: { meetingId }, body: {} }),
    organisation: (weeks) => client.insightsOrganisation({ params: {}, body: {}, query: { weeks } }),
  };
}

/** Provided by the composition root (`main.tsx`) with `createInsightsController(client)`. */
export const InsightsControllerContext = createContext<InsightsController | undefined>(undefined);

export function useInsightsController(): InsightsController {
  const controller = useContext(InsightsControllerContext);
  if (controller === undefined) throw new Error('useInsightsController must be used inside InsightsControllerContext');
  return controller;
}
