import { BUNDLED_BACKGROUNDS, OWN_BACKGROUND_MAX_LENGTH, type Background, type Settings } from '@tandem/shared';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { PICTURES } from './assets.ts';
import { fitPicture, noiseSuppression } from './effects.ts';
import './effects.css';
import { useT } from '../i18n/useT.ts';
import type { Translate } from '../i18n/useT.ts';

/** One's own picture, downscaled to fit OWN_PICTURE_MAX_SIDE, as a JPEG data URL. */
async function ownPicture(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const size = fitPicture(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const dataUrl = canvas.toDataURL('image/jpeg', 0.85);
  if (dataUrl.length > OWN_BACKGROUND_MAX_LENGTH) throw new Error('the picture is too large even when made smaller');
  return dataUrl;
}

const sameBackground = (a: Background, b: Background): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Each background choice as the picker shows it: a name and what its tile looks like. */
function choices(
  ownBackground: string | null,
  t: Translate,
): { background: Background; label: string; swatch: ReactNode }[] {
  const own =
    ownBackground === null
      ? []
      : [
          {
            background: { kind: 'own' } as const,
            label: t('media.background.own'),
            swatch: <img src={ownBackground} alt="" />,
          },
        ];
  return [
    { background: { kind: 'none' }, label: t('media.background.none'), swatch: <span className="swatch-none" /> },
    {
      background: { kind: 'blur', strength: 'light' },
      label: t('media.background.light'),
      swatch: <span className="swatch-blur" data-strength="light" />,
    },
    {
      background: { kind: 'blur', strength: 'strong' },
      label: t('media.background.strong'),
      swatch: <span className="swatch-blur" data-strength="strong" />,
    },
    ...BUNDLED_BACKGROUNDS.map((image) => ({
      background: { kind: 'image', image } as const,
      label: t(PICTURES[image].label),
      swatch: <img src={PICTURES[image].url} alt="" />,
    })),
    ...own,
  ];
}

/**
 * Noise suppression, the background (none, blur, a bundled picture or one's own) and low light:
 * the same controls in pre-join and in the call's Effects popover. Changes are saved with the
 * settings at once and the processors follow them (media/useMediaEffects.ts).
 */
export function EffectsPicker() {
  const t = useT();
  const controller = useController();
  const settings = useAppStore((s) => s.settings);
  const suppression = useAppStore(useShallow((s) => noiseSuppression(s.settings, s.managed)));
  const [error, setError] = useState<string | undefined>();
  const file = useRef<HTMLInputElement>(null);
  const id = useId();
  const save = (patch: Partial<Settings>) => {
    setError(undefined);
    controller.updateSettings(patch).catch((e: unknown) => setError(t('ui.notSaved', { reason: errorText(e, t) })));
  };
  const pick = (picked: File | undefined) => {
    if (picked === undefined) return;
    ownPicture(picked).then(
      (ownBackground) => save({ ownBackground, background: { kind: 'own' } }),
      (e: unknown) => setError(t('media.pictureFailed', { reason: errorText(e, t) })),
    );
  };

  return (
    <div className="effects">
      <div className="check">
        <input
          id={`${id}-noise`}
          type="checkbox"
          checked={suppression.on}
          disabled={suppression.locked}
          aria-describedby={`${id}-noise-hint`}
          onChange={(e) => save({ noiseSuppression: e.target.checked })}
        />
        <label htmlFor={`${id}-noise`}>{t('media.noise')}</label>
      </div>
      <p id={`${id}-noise-hint`} className="hint">
        {t(suppression.locked ? 'settings.desktop.locked' : 'media.noise.hint')}
      </p>
      <fieldset className="choices background-choices">
        <legend>{t('media.background')}</legend>
        <div className="background-grid">
          {choices(settings.ownBackground, t).map(({ background, label, swatch }) => (
            <label key={label} className="background-choice">
              <input
                type="radio"
                name={`${id}-background`}
                checked={sameBackground(background, settings.background)}
                onChange={() => save({ background })}
              />
              <span className="background-swatch" aria-hidden="true">
                {swatch}
              </span>
              <span className="background-label">{label}</span>
            </label>
          ))}
        </div>
        <input
          ref={file}
          id={`${id}-file`}
          className="visually-hidden"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            pick(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button type="button" className="button" onClick={() => file.current?.click()}>
          {t('media.background.choose')}
        </button>
      </fieldset>
      <div className="check">
        <input
          id={`${id}-light`}
          type="checkbox"
          checked={settings.lowLight}
          aria-describedby={`${id}-light-hint`}
          onChange={(e) => save({ lowLight: e.target.checked })}
        />
        <label htmlFor={`${id}-light`}>{t('media.lowLight')}</label>
      </div>
      <p id={`${id}-light-hint`} className="hint">
        {t('media.lowLight.hint')}
      </p>
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
