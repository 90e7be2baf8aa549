import { PRODUCT, type PolicyProblem } from '@tandem/shared';
import { refusedLayer, type PolicyLayer, type PolicySource } from './policySource.ts';

export type CommandResult = { readonly exitCode: number; readonly stdout: string };
export type RunCommand = (file: string, args: readonly string[]) => Promise<CommandResult>;

const POLICY_KEY = `SOFTWARE\\Policies\\${PRODUCT.vendor}\\${PRODUCT.productName}`;
/** Machine policies win over user policies, as Group Policy intends. */
const HIVES = ['HKLM', 'HKCU'] as const;

const REG_FAILED = 1;

/** Value lines of `reg query`: four spaces, name, four spaces, type, four spaces, data. */
const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** Parses the text `reg query <key>` prints; subkeys and headings are skipped. */
export function parseRegQuery(output: string, source: string): Omit<PolicyLayer, 'source'> {
  const values: Record<string, unknown> = {};
  const problems: PolicyProblem[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = VALUE_LINE.exec(line);
    if (match === null) continue;
    const [, name = '', type = '', data = ''] = match;
    const value = registryValue(type, data);
    if (value === undefined) problems.push({ source, key: name, message: `unsupported registry type ${type}` });
    else values[name] = value;
  }
  return { values, problems };
}

function registryValue(type: string, data: string): unknown {
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return data;
    case 'REG_DWORD':
    case 'REG_QWORD':
      return Number(data);
    case 'REG_MULTI_SZ':
      return data === '' ? [] : data.split('\\0');
    default:
      return undefined;
  }
}

export function windowsRegistrySource(run: RunCommand): PolicySource {
  return {
    layers: async () => {
      const layers: PolicyLayer[] = [];
      for (const hive of HIVES) {
        const source = `${hive}\\${POLICY_KEY}`;
        // /reg:64: the 64-bit view, whatever the bitness of the process asking.
        const result = await run('reg', ['query', source, '/reg:64']);
        if (result.exitCode === 0) layers.push({ source, ...parseRegQuery(result.stdout, source) });
        // reg exits 1 when the key does not exist, the normal case on unmanaged machines; any
        // other outcome means the policy could not be read, which must not pass unnoticed.
        else if (result.exitCode !== REG_FAILED)
          layers.push(refusedLayer(source, `reg query exited ${result.exitCode}`));
      }
      return layers;
    },
  };
}
