import fs from 'node:fs';
import path from 'node:path';
import type { ManagedSettings, Settings } from '@tandem/shared';
import { redact } from '../log.ts';
import { zip } from './zip.ts';

export type DiagnosticsInput = {
  /** The folder of the app's rotating logs. */
  readonly logsDir: string;
  /** The app's, Electron's, Chromium's, Node's and the OS's versions. */
  readonly versions: Readonly<Record<string, string>>;
  readonly settings: Settings;
  readonly policy: ManagedSettings;
  /** The last connection test's results, when one ran. */
  readonly connectionTest: unknown;
};

/**
 * The help desk's zip: the logs (already without secrets; checked again), versions, the settings
 * without one's own background picture, IT's policy and the connection test. Nothing a person wrote.
 */
export function collectDiagnostics(input: DiagnosticsInput, at: Date = new Date()): Buffer {
  const logs = fs.existsSync(input.logsDir)
    ? fs
        .readdirSync(input.logsDir)
        .filter((name) => name.endsWith('.log'))
        .sort()
    : [];
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  const { ownBackground: _picture, ...settings } = input.settings;
  return zip(
    [
      ...logs.map((name) => ({
        name: `logs/${name}`,
        content: Buffer.from(
          fs
            .readFileSync(path.join(input.logsDir, name), 'utf8')
            .split('\n')
            .map((line) => String(redact(line)))
            .join('\n'),
        ),
      })),
      { name: 'versions.json', content: json(input.versions) },
      { name: 'settings.json', content: json(redact(settings)) },
      { name: 'policy.json', content: json(input.policy) },
      { name: 'connection-test.json', content: json(redact(input.connectionTest)) },
    ],
    at,
  );
}
