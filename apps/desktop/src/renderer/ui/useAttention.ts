import { useEffect } from 'react';
import { useController } from '../store/ControllerContext.ts';

/** While mounted, main knows this conversation is on screen and keeps its notifications away. */
export function useViewingConversation(conversationId: string | null): void {
  const controller = useController();
  useEffect(() => {
    if (conversationId === null) return;
    controller.reportAttention({ viewing: conversationId });
    return () => controller.reportAttention({ viewing: null });
  }, [controller, conversationId]);
}

/** While the user shares a screen, nothing pops up where the audience could read it. */
export function usePresenting(presenting: boolean): void {
  const controller = useController();
  useEffect(() => {
    controller.reportAttention({ presenting });
    return () => controller.reportAttention({ presenting: false });
  }, [controller, presenting]);
}
