import { parse } from 'plist';
import { PRODUCT } from '@tandem/shared';
import { isPlainRecord, refusedLayer, type PolicyLayer, type PolicySource } from './policySource.ts';

/** Reads a plist as XML text (binary plists converted at the seam); undefined when absent. */
export type ReadPlistXml = (path: string) => Promise<string | undefined>;

const MANAGED = '/Library/Managed Preferences';

/** Where an MDM profile's payload for this app lands: device-wide first, then the user's own. */
export function managedPreferencePaths(userName: string): readonly string[] {
  const device = `${MANAGED}/${PRODUCT.appId}.plist`;
  return userName === '' ? [device] : [device, `${MANAGED}/${userName}/${PRODUCT.appId}.plist`];
}

export function parseManagedPlist(xml: string, source: string): PolicyLayer {
  let root: unknown;
  try {
    root = parse(xml);
  } catch (error) {
    return refusedLayer(source, `not a valid plist: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainRecord(root)) return refusedLayer(source, 'the plist root is not a dictionary');
  // A configuration profile's own bookkeeping (PayloadUUID, ...) may travel with the settings.
  const values = Object.fromEntries(Object.entries(root).filter(([key]) => !key.startsWith('Payload')));
  return { source, values, problems: [] };
}

export function macManagedPreferencesSource(readPlistXml: ReadPlistXml, userName: string): PolicySource {
  return {
    layers: async () => {
      const layers: PolicyLayer[] = [];
      for (const path of managedPreferencePaths(userName)) {
        const xml = await readPlistXml(path);
        if (xml !== undefined) layers.push(parseManagedPlist(xml, path));
      }
      return layers;
    },
  };
}
