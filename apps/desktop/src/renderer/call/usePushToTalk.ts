import { useLocalParticipant } from '@livekit/components-react';
import { useEffect } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { createPushToTalk, type KeyLike } from './pushToTalk.ts';

function keyOf(e: KeyboardEvent): KeyLike {
  const target = e.target instanceof HTMLElement ? e.target : null;
  const typing =
    target !== null &&
    (target.isContentEditable ||
      target.tagName === 'INPUT' ||
      target.tagName === 'TEXTAREA' ||
      target.tagName === 'SELECT');
  return {
    code: e.code,
    repeat: e.repeat,
    altKey: e.altKey,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    shiftKey: e.shiftKey,
    typing,
  };
}

/** Settings → Push to talk, in this call: hold its key to talk while the window has the focus (pushToTalk.ts). */
export function usePushToTalk(onError: (message: string) => void): void {
  const on = useAppStore((s) => s.settings.pushToTalk);
  const code = useAppStore((s) => s.settings.pushToTalkKey);
  const { localParticipant } = useLocalParticipant();
  useEffect(() => {
    if (!on) return;
    const ptt = createPushToTalk(
      {
        enabled: () => localParticipant.isMicrophoneEnabled,
        set: (enabled) => localParticipant.setMicrophoneEnabled(enabled),
        onError: (e) => onError(errorText(e)),
      },
      code,
    );
    const down = (e: KeyboardEvent) => {
      if (ptt.down(keyOf(e))) e.preventDefault();
    };
    const up = (e: KeyboardEvent) => {
      if (ptt.up(keyOf(e))) e.preventDefault();
    };
    const blur = () => ptt.release();
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
      ptt.release();
    };
  }, [on, code, localParticipant, onError]);
}
