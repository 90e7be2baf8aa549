import type { PolicyProblem } from '@tandem/shared';

/** What one place IT writes to holds, before validation. */
export type PolicyLayer = {
  /** Named in problems, e.g. `HKLM\SOFTWARE\Policies\Tandem\Tandem` or a file path. */
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly problems: readonly PolicyProblem[];
};

/**
 * One platform's managed configuration. Layers come highest precedence first (machine before
 * user); a missing layer is simply absent, since most machines have no policy at all.
 */
export type PolicySource = {
  readonly layers: () => Promise<readonly PolicyLayer[]>;
};

export const NO_POLICY_SOURCE: PolicySource = { layers: async () => [] };

/** A whole layer refused or unreadable: its values are ignored and the reason reported. */
export function refusedLayer(source: string, message: string): PolicyLayer {
  return { source, values: {}, problems: [{ source, key: '*', message }] };
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
