import type { ParsedPolicy } from '@tandem/shared';
import { loadPolicy, policySourceFor } from './loadPolicy.ts';
import { nodePolicySeams } from './nodeSeams.ts';

/** The organisation's policy for this machine and user, from this platform's real source. */
export function loadMachinePolicy(): Promise<ParsedPolicy> {
  return loadPolicy(policySourceFor(process.platform, nodePolicySeams()));
}
