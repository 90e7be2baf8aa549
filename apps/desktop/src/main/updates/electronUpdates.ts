import { app } from 'electron';
import electronUpdater from 'electron-updater';
import { detectInstallType, nodeFileChecks } from './installType.ts';
import { runUpdates } from './runUpdates.ts';
import { planUpdates, type UpdatePlan, type UpdateSettings } from './updatePlan.ts';

/**
 * The seam to Electron and electron-updater, kept to one-liners: everything that decides lives
 * in the modules beside it, which are tested without Electron.
 */
export async function startUpdates(
  settings: UpdateSettings,
  onError: (error: unknown) => void,
): Promise<{ readonly plan: UpdatePlan; readonly stop: () => void }> {
  const installType = await detectInstallType({
    platform: process.platform,
    isPackaged: app.isPackaged,
    exePath: process.execPath,
    resourcesPath: process.resourcesPath,
    appImagePath: process.env['APPIMAGE'],
    ...nodeFileChecks,
  });
  const plan = planUpdates(installType, settings);
  const scheduler = {
    every: (intervalMs: number, task: () => void) => {
      const timer = setInterval(task, intervalMs);
      return () => clearInterval(timer);
    },
  };
  return { plan, stop: runUpdates(plan, electronUpdater.autoUpdater, scheduler, onError) };
}
