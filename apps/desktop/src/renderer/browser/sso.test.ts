import { describe, expect, it } from 'vitest';
import { pkcePair, randomState, s256, ssoReturnOf } from './sso.ts';

describe('single sign-on in the browser client', () => {
  it('reads the one-time code or the refusal the server sent the page back with', () => {
    expect(ssoReturnOf('?code=abc_DEF-1&state=s1')).toEqual({ kind: 'code', code: 'abc_DEF-1', state: 's1' });
    expect(ssoReturnOf('?error=forbidden&error_description=account%20deactivated&state=s2')).toEqual({
      kind: 'refused',
      code: 'forbidden',
      message: 'account deactivated',
      state: 's2',
    });
    expect(ssoReturnOf('?error=made_up&state=s3')).toMatchObject({ code: 'unauthenticated' });
    for (const search of ['', '?code=abc', '?state=s4', '?bridge=ws://x']) expect(ssoReturnOf(search)).toBeNull();
  });

  it('makes an RFC 7636 verifier and its S256 challenge', async () => {
    const { verifier, challenge } = await pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(await s256(verifier));
    // RFC 7636, appendix B.
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(randomState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await pkcePair()).verifier).not.toBe(verifier);
  });
});
