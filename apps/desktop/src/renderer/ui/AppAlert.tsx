import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';

/** The app's alert over whatever screen is showing (sign-in and calls too), until dismissed. */
export function AppAlert() {
  const t = useT();
  const alert = useAppStore((s) => s.alert);
  const setAlert = useAppStore((s) => s.setAlert);
  if (alert === undefined) return null;
  return (
    <div className="banner app-alert" data-tone="error" role="alert">
      <span>{alert}</span>
      <button type="button" className="button" onClick={() => setAlert(undefined)}>
        {t('ui.dismiss')}
      </button>
    </div>
  );
}
