import fs from 'node:fs';
import path from 'node:path';

export type Logger = {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
};

function describe(detail: unknown): unknown {
  return detail instanceof Error ? { name: detail.name, message: detail.message, stack: detail.stack } : detail;
}

/** JSON lines appended to `file` (its folder is created). Never logs tokens: callers pass none. */
export function fileLogger(file: string): Logger {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const stream = fs.createWriteStream(file, { flags: 'a' });
  const write = (level: string) => (message: string, detail?: unknown) =>
    void stream.write(
      `${JSON.stringify({ at: new Date().toISOString(), level, message, detail: describe(detail) })}\n`,
    );
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
