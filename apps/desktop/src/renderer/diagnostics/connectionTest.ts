import {
  CONNECTION_CHECKS,
  type ConnectionCheck,
  type ConnectionCheckResult,
  type ConnectionProbe,
} from '@tandem/shared';

/** One check as the screen shows it: not yet, under way, or its result. */
export type CheckView =
  { readonly check: ConnectionCheck; readonly state: 'waiting' | 'running' } | ConnectionCheckResult;

/** How each check is made; `close` ends whatever the probes opened (the test's LiveKit room). */
export type ConnectionProbes = { readonly [C in ConnectionCheck]: () => Promise<ConnectionProbe> } & {
  close(): Promise<void>;
};

/**
 * A check that cannot mean anything when the one it needs failed: LiveKit's token comes from the
 * server, media needs signalling, and the TURN servers to try come with LiveKit's answer to the join.
 */
const NEEDS: Readonly<Partial<Record<ConnectionCheck, ConnectionCheck>>> = {
  livekit: 'server',
  media: 'livekit',
  relay: 'livekit',
};

/** How long one check may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 15_000;

export const waitingChecks = (): CheckView[] => CONNECTION_CHECKS.map((check) => ({ check, state: 'waiting' }));

function withTimeout(probe: Promise<ConnectionProbe>, ms: number): Promise<ConnectionProbe> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ConnectionProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), ms);
  });
  return Promise.race([probe, late]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check in order, one at a time (so each one's time is its own), telling `onChange`
 * the whole list after each step. A probe that throws counts as `unreachable`; one that takes
 * longer than `timeoutMs` as `timeout`. Answers the results.
 */
export async function runConnectionTest(
  probes: ConnectionProbes,
  onChange: (views: readonly CheckView[]) => void,
  options: { readonly timeoutMs?: number; readonly now?: () => number } = {},
): Promise<ConnectionCheckResult[]> {
  const now = options.now ?? (() => performance.now());
  const views = waitingChecks();
  const results = new Map<ConnectionCheck, ConnectionCheckResult>();
  const show = (index: number, view: CheckView) => {
    views[index] = view;
    onChange([...views]);
  };
  try {
    for (const [index, check] of CONNECTION_CHECKS.entries()) {
      const needs = NEEDS[check];
      if (needs !== undefined && results.get(needs)?.state !== 'passed') {
        const skipped: ConnectionCheckResult = { check, state: 'skipped' };
        results.set(check, skipped);
        show(index, skipped);
        continue;
      }
      show(index, { check, state: 'running' });
      const started = now();
      const probe = await withTimeout(
        probes[check]().catch((): ConnectionProbe => ({ ok: false, reason: 'unreachable' })),
        options.timeoutMs ?? CHECK_TIMEOUT_MS,
      );
      const ms = Math.max(0, Math.round(now() - started));
      const result: ConnectionCheckResult = probe.ok
        ? { check, state: 'passed', ms, ...(probe.detail === undefined ? {} : { detail: probe.detail }) }
        : { check, state: 'failed', ms, reason: probe.reason };
      results.set(check, result);
      show(index, result);
    }
  } finally {
    await probes.close().catch(() => undefined);
  }
  return CONNECTION_CHECKS.map((check) => results.get(check) ?? { check, state: 'skipped' });
}
