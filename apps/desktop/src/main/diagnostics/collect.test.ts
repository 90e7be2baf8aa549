import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '@tandem/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLogger, rotatedName } from '../log.ts';
import { collectDiagnostics } from './collect.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-diagnostics-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLW9mLWEtdG9rZW4';
const PASSWORD = 'correct horse battery staple';
const MESSAGE = 'the quarterly numbers are confidential';

describe('support diagnostics: rotating logs and the help desk’s zip', () => {
  it('rotates the log at its size cap, keeping the newest files only', () => {
    const logs = path.join(dir, 'rotating');
    const log = fileLogger(path.join(logs, 'main.log'), { fileBytes: 400, files: 3 });
    for (let i = 0; i < 20; i++) log.info(`line ${i}`, { i });
    const files = fs.readdirSync(logs).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const file of files) expect(fs.statSync(path.join(logs, file)).size).toBeLessThanOrEqual(400);
    expect(fs.readFileSync(path.join(logs, 'main.log'), 'utf8')).toContain('"line 19"');
    expect(fs.readFileSync(rotatedName(path.join(logs, 'main.log'), 2), 'utf8')).not.toContain('"line 0"');
  });

  it('keeps logging when its folder is removed under it, and never throws when a line cannot be written', () => {
    const logs = path.join(dir, 'removed');
    const log = fileLogger(path.join(logs, 'main.log'));
    log.info('before');
    fs.rmSync(logs, { recursive: true });
    log.warn('after the folder went');
    expect(fs.readFileSync(path.join(logs, 'main.log'), 'utf8')).toContain('"after the folder went"');
    // A folder where the file should be: the line cannot be written anywhere on disk.
    fs.rmSync(logs, { recursive: true });
    fs.mkdirSync(path.join(logs, 'main.log'), { recursive: true });
    expect(() => log.error('nowhere to write')).not.toThrow();
  });

  it('writes a zip (listed by the OS’s unzip) with logs, versions, settings, policy and the connection test, and no token, password or message text', () => {
    const logs = path.join(dir, 'logs');
    const log = fileLogger(path.join(logs, 'main.log'));
    log.info('signed in', { accessToken: TOKEN, refreshToken: TOKEN, password: PASSWORD });
    log.warn('send failed', { message: { body: MESSAGE, conversationId: 'c1' } });
    log.error('refresh refused', new Error(`401 for Bearer ${TOKEN}`));
    const archive = path.join(dir, 'tandem-diagnostics.zip');
    fs.writeFileSync(
      archive,
      collectDiagnostics({
        logsDir: logs,
        versions: { app: '0.1.0', electron: '45.5.0' },
        settings: { ...DEFAULT_SETTINGS, ownBackground: 'data:image/png;base64,AAAA' },
        policy: { values: { serverUrl: 'https://tandem.example.com' }, locked: ['serverUrl'] },
        connectionTest: [{ check: 'server', ok: true, ms: 12 }],
      }),
    );
    const listing = spawnSync('unzip', ['-l', archive], { encoding: 'utf8' });
    expect(listing.status).toBe(0);
    for (const name of ['logs/main.log', 'versions.json', 'settings.json', 'policy.json', 'connection-test.json'])
      expect(listing.stdout).toContain(name);
    const everything = spawnSync('unzip', ['-p', archive], { encoding: 'utf8' }).stdout;
    expect(everything).toContain('send failed');
    expect(everything).toContain('"electron": "45.5.0"');
    expect(everything).toContain('"conversationId":"c1"');
    for (const secret of [TOKEN, PASSWORD, MESSAGE, 'data:image/png']) expect(everything).not.toContain(secret);
  });
});
