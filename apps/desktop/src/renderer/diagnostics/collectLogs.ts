import type { TandemClient } from '@tandem/shared';
import { saveFile } from '../ui/saveFile.ts';

/** Help → Collect logs: main's zip for the help desk, saved as a download. */
export async function collectLogs(client: TandemClient): Promise<void> {
  const file = await client.diagnosticsCollect({});
  saveFile({ ...file, content: Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) });
}
