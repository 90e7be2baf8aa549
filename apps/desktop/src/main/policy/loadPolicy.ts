import { mergePolicies, parsePolicy, type ParsedPolicy } from '@tandem/shared';
import { linuxPolicyFileSource, type ReadOwnedFile } from './linuxPolicyFile.ts';
import { macManagedPreferencesSource, type ReadPlistXml } from './macManagedPreferences.ts';
import { NO_POLICY_SOURCE, type PolicySource } from './policySource.ts';
import { windowsRegistrySource, type RunCommand } from './windowsRegistry.ts';

/** Everything the platform readers touch outside the process; tests pass their own. */
export type PolicySeams = {
  readonly runCommand: RunCommand;
  readonly readPlistXml: ReadPlistXml;
  readonly readOwnedFile: ReadOwnedFile;
  readonly userName: string;
};

export function policySourceFor(platform: NodeJS.Platform, seams: PolicySeams): PolicySource {
  switch (platform) {
    case 'win32':
      return windowsRegistrySource(seams.runCommand);
    case 'darwin':
      return macManagedPreferencesSource(seams.readPlistXml, seams.userName);
    case 'linux':
      return linuxPolicyFileSource(seams.readOwnedFile);
    default:
      return NO_POLICY_SOURCE;
  }
}

/**
 * The organisation's policy: each layer validated key by key, then merged with the higher layer
 * winning. Problems are returned for the log, never thrown: a bad policy must not stop the app.
 */
export async function loadPolicy(source: PolicySource): Promise<ParsedPolicy> {
  let layers;
  try {
    layers = await source.layers();
  } catch (error) {
    const message = `policy could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { policy: {}, problems: [{ source: 'policy', key: '*', message }] };
  }
  const parsed = layers.map((layer) => {
    const { policy, problems } = parsePolicy(layer.values, layer.source);
    return { policy, problems: [...layer.problems, ...problems] };
  });
  return {
    policy: mergePolicies(parsed.map((layer) => layer.policy)),
    problems: parsed.flatMap((layer) => layer.problems),
  };
}
