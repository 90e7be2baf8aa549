import { PRODUCT } from '@tandem/shared';
import { isPlainRecord, refusedLayer, type PolicyLayer, type PolicySource } from './policySource.ts';

/** The file's owner and mode, read from the same open file as its text; undefined when absent. */
export type OwnedFile = { readonly uid: number; readonly mode: number; readonly text: string };
export type ReadOwnedFile = (path: string) => Promise<OwnedFile | undefined>;

export const LINUX_POLICY_PATH = `/etc/${PRODUCT.productName.toLowerCase()}/policies.json`;

const WORLD_WRITABLE = 0o002;

/** Only root may lock settings: a file anyone else could have written is refused whole. */
export function parsePolicyFile(file: OwnedFile, source: string): PolicyLayer {
  if (file.uid !== 0) return refusedLayer(source, `ignored: owned by uid ${file.uid}, not root`);
  if ((file.mode & WORLD_WRITABLE) !== 0) return refusedLayer(source, 'ignored: the file is world-writable');
  let root: unknown;
  try {
    root = JSON.parse(file.text);
  } catch (error) {
    return refusedLayer(source, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainRecord(root)) return refusedLayer(source, 'the JSON root is not an object');
  return { source, values: root, problems: [] };
}

export function linuxPolicyFileSource(readOwnedFile: ReadOwnedFile, path = LINUX_POLICY_PATH): PolicySource {
  return {
    layers: async () => {
      const file = await readOwnedFile(path);
      return file === undefined ? [] : [parsePolicyFile(file, path)];
    },
  };
}
