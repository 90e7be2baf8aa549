import type { ApiError } from '@tandem/shared';

/** The external accounts an organisation can connect: each is one adapter. */
export type ProviderId = 'microsoft' | 'zoom' | 'google';

export type ProviderErrorCode = 'unauthorized' | 'rate_limited' | 'not_found' | 'bad_response' | 'unavailable';

/**
 * Everything that goes wrong talking to a provider ends as this error, so callers branch on
 * `code` and never parse a provider's own error bodies.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly provider: ProviderId,
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: { readonly status?: number; readonly retryAfterMs?: number } = {},
  ) {
    super(`${provider}: ${message}`);
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  toJSON(): { provider: ProviderId; code: ProviderErrorCode; message: string; retryAfterMs?: number } {
    return {
      provider: this.provider,
      code: this.code,
      message: this.message,
      ...(this.details.retryAfterMs === undefined ? {} : { retryAfterMs: this.details.retryAfterMs }),
    };
  }
}

/**
 * What our own API answers when a provider call fails. A provider refusing our stored
 * credentials is not the caller's authentication failing, so it maps to `unavailable`
 * with a message that says the connection must be renewed.
 */
export function providerErrorToApi(error: ProviderError): ApiError {
  switch (error.code) {
    case 'unauthorized':
      return {
        error: { code: 'unavailable', message: `${error.message} (the ${error.provider} connection must be renewed)` },
      };
    case 'rate_limited':
      return { error: { code: 'rate_limited', message: error.message } };
    case 'not_found':
      return { error: { code: 'not_found', message: error.message } };
    case 'bad_response':
    case 'unavailable':
      return { error: { code: 'unavailable', message: error.message } };
    default: {
      const unreachable: never = error.code;
      return unreachable;
    }
  }
}

/** A delete at the provider, where one already gone (404) is as good as deleted. */
export async function gone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'not_found')) throw error;
  }
}
