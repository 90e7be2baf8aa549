import type { ReactNode } from 'react';
import { useCallUi, type SidePanel } from '../call/callStore.ts';
import type { CallControl } from '../call/callControl.ts';
import { BreakoutsPanel } from './BreakoutsPanel.tsx';
import type { IconName } from '../ui/Icon.tsx';
import { MeetingPanel } from './MeetingPanel.tsx';
import { PollsPanel } from './PollsPanel.tsx';
import { QnaPanel } from './QnaPanel.tsx';
import './collab.css';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';

export type CollabPanel = Extract<SidePanel, 'meeting' | 'polls' | 'qna' | 'breakouts'>;

const PANELS: Readonly<Record<CollabPanel, { readonly label: MessageId; readonly icon: IconName }>> = {
  meeting: { label: 'collab.panel.meeting', icon: 'host' },
  polls: { label: 'collab.panel.polls', icon: 'polls' },
  qna: { label: 'collab.panel.qna', icon: 'qna' },
  breakouts: { label: 'collab.panel.breakouts', icon: 'breakouts' },
};

export function isCollabPanel(panel: SidePanel): panel is CollabPanel {
  return Object.hasOwn(PANELS, panel);
}

/** The side panel's content for one of the collaboration panels. */
export function CollabPanelView({ panel }: { readonly panel: CollabPanel }): ReactNode {
  switch (panel) {
    case 'meeting':
      return <MeetingPanel />;
    case 'polls':
      return <PollsPanel />;
    case 'qna':
      return <QnaPanel />;
    case 'breakouts':
      return <BreakoutsPanel />;
    default: {
      const never: never = panel;
      throw new Error(`unknown panel ${String(never)}`);
    }
  }
}

/** The control-bar controls that open the collaboration panels. */
export function useCollabPanelControls(): CallControl<CollabPanel>[] {
  const t = useT();
  const open = useCallUi((s) => s.panel);
  const toggle = useCallUi((s) => s.togglePanel);
  return (Object.keys(PANELS) as CollabPanel[]).map((panel) => ({
    id: panel,
    label: t(PANELS[panel].label),
    icon: PANELS[panel].icon,
    pressed: open === panel,
    onClick: () => toggle(panel),
  }));
}
