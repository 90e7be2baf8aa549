import fs from 'node:fs';
import path from 'node:path';

export type Logger = {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
};

/** How much log the app keeps: each file up to `fileBytes`, `files` of them (main.log, main.1.log, …). */
export const LOG_LIMITS = { fileBytes: 1_000_000, files: 3 } as const;

/** Detail keys whose values never reach a log: credentials, and what people write. */
const WITHHELD = /token|password|secret|authorization|cookie|apikey|api_key|^body$|^text$|statustext/i;
/** A JWT wherever it appears in a string (an access token inside an error message, say). */
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** `detail` as it may be written: secrets and message content replaced, errors as their fields. */
export function redact(detail: unknown, depth = 0): unknown {
  if (detail instanceof Error)
    return redact({ name: detail.name, message: detail.message, stack: detail.stack }, depth);
  if (typeof detail === 'string') return detail.replace(JWT, '[withheld]');
  if (typeof detail !== 'object' || detail === null) return detail;
  if (depth > 6) return '[deep]';
  if (Array.isArray(detail)) return detail.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [key, WITHHELD.test(key) ? '[withheld]' : redact(value, depth + 1)]),
  );
}

/** `main.log` → `main.1.log`: the `n`th older file beside `file`. */
export function rotatedName(file: string, n: number): string {
  if (n === 0) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${n}${ext}`;
}

/**
 * JSON lines appended to `file` (its folder is created), rotated when it would pass the size cap
 * (the oldest file goes), with secrets and message content withheld from every detail.
 * Writing never throws: a folder removed under it is made again, and a line that still cannot be
 * written (disk full, no permission) goes to stderr instead, so logging cannot take main down.
 */
export function fileLogger(file: string, limits: { fileBytes: number; files: number } = LOG_LIMITS): Logger {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The file is there from the start, so Collect logs always has one.
  fs.appendFileSync(file, '');
  let size = fs.statSync(file).size;
  const rotate = () => {
    for (let n = limits.files - 1; n > 0; n--) {
      const older = rotatedName(file, n - 1);
      if (fs.existsSync(older)) fs.renameSync(older, rotatedName(file, n));
    }
    size = 0;
  };
  const append = (line: string) => {
    try {
      fs.appendFileSync(file, line);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, line);
      size = 0;
    }
  };
  const write = (level: string) => (message: string, detail?: unknown) => {
    const line = `${JSON.stringify({ at: new Date().toISOString(), level, message: redact(message), detail: redact(detail) })}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > limits.fileBytes) rotate();
      append(line);
      size += bytes;
    } catch {
      process.stderr.write(line);
    }
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
