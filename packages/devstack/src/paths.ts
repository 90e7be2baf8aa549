import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's place in packages/devstack/src. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Git-ignored folder for downloaded or built tools (the livekit-server binary). */
export const toolsDir = path.join(repoRoot, '.tools');

/** Git-ignored folder for what test runs leave for people: screenshots, results, logs. */
export const artifactsDir = path.join(repoRoot, 'artifacts');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');
export const testResultsDir = path.join(artifactsDir, 'test-results');
export const logsDir = path.join(artifactsDir, 'logs');

/** Git-ignored folder for what `npm start` keeps between runs: the server's database. */
export const dataDir = path.join(repoRoot, '.data');
