import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { PolicySeams } from './loadPolicy.ts';

const BINARY_PLIST_MAGIC = 'bplist00';

/** userInfo() throws for a uid without a passwd entry (some containers); the user layer is then skipped. */
function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? '';
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The real processes and files the policy readers consult. */
export function nodePolicySeams(): PolicySeams {
  return {
    runCommand: (file, args) =>
      new Promise((resolve) => {
        execFile(file, [...args], { windowsHide: true, timeout: 10_000 }, (error, stdout) => {
          const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ exitCode, stdout });
        });
      }),
    readPlistXml: async (path) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      if (bytes.subarray(0, BINARY_PLIST_MAGIC.length).toString('latin1') !== BINARY_PLIST_MAGIC) {
        return bytes.toString('utf8');
      }
      // cfprefsd writes managed preferences as binary plists; plutil turns them into XML.
      return new Promise((resolve, reject) => {
        execFile('plutil', ['-convert', 'xml1', '-o', '-', path], { timeout: 10_000 }, (error, stdout) =>
          error === null ? resolve(stdout) : reject(error),
        );
      });
    },
    readOwnedFile: async (path) => {
      let handle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      // Owner, mode and text from one open file, so the file checked is the file read.
      try {
        const stats = await handle.stat();
        return { uid: stats.uid, mode: stats.mode, text: await handle.readFile('utf8') };
      } finally {
        await handle.close();
      }
    },
    userName: currentUserName(),
  };
}
