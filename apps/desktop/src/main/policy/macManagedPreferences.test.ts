import { describe, expect, it } from 'vitest';
import { loadPolicy } from './loadPolicy.ts';
import { macManagedPreferencesSource, type ReadPlistXml } from './macManagedPreferences.ts';

const plist = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
${body}
</plist>
`;

const DEVICE = plist(`<dict>
	<key>PayloadUUID</key>
	<string>5B0A7C1E-4D2F-4E0B-9C3A-2F1D8E6B7A90</string>
	<key>serverUrl</key>
	<string>https://tandem.corp.example</string>
	<key>autoUpdate</key>
	<false/>
	<key>updateChannel</key>
	<string>stable</string>
	<key>allow2160p</key>
	<integer>1</integer>
</dict>`);
const USER = plist(`<dict>
	<key>updateChannel</key>
	<string>beta</string>
	<key>telemetry</key>
	<false/>
	<key>screenShare</key>
	<string>anyone</string>
</dict>`);

/** Stands in for the managed preferences folder, which exists only on a Mac. */
function files(byPath: Readonly<Record<string, string>>): ReadPlistXml {
  return async (path) => byPath[path];
}

describe('macManagedPreferencesSource', () => {
  it('reads the device-wide payload over the user payload', async () => {
    const source = macManagedPreferencesSource(
      files({
        '/Library/Managed Preferences/com.tandem.desktop.plist': DEVICE,
        '/Library/Managed Preferences/ada/com.tandem.desktop.plist': USER,
      }),
      'ada',
    );
    const { policy, problems } = await loadPolicy(source);
    expect(policy).toEqual({
      serverUrl: 'https://tandem.corp.example',
      autoUpdate: false,
      updateChannel: 'stable',
      allow2160p: true,
      telemetry: false,
    });
    expect(problems.map((problem) => [problem.source, problem.key])).toEqual([
      ['/Library/Managed Preferences/ada/com.tandem.desktop.plist', 'screenShare'],
    ]);
  });

  it('reports a plist that is not a dictionary or not a plist, and carries on', async () => {
    const source = macManagedPreferencesSource(
      files({
        '/Library/Managed Preferences/com.tandem.desktop.plist': plist('<array><string>x</string></array>'),
        '/Library/Managed Preferences/ada/com.tandem.desktop.plist': '<plist><dict><key>x</key>',
      }),
      'ada',
    );
    const { policy, problems } = await loadPolicy(source);
    expect(policy).toEqual({});
    expect(problems).toHaveLength(2);
    expect(problems[0]?.message).toBe('the plist root is not a dictionary');
  });

  it('reads only the device-wide payload when the user is unknown', async () => {
    const read: string[] = [];
    await macManagedPreferencesSource(async (path) => {
      read.push(path);
      return undefined;
    }, '').layers();
    expect(read).toEqual(['/Library/Managed Preferences/com.tandem.desktop.plist']);
  });

  it('has no policy without managed preferences', async () => {
    expect(await loadPolicy(macManagedPreferencesSource(files({}), 'ada'))).toEqual({ policy: {}, problems: [] });
  });
});
