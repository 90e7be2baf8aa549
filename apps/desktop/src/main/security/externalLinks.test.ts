import { describe, expect, it } from 'vitest';
import { isAllowedExternalLink, isPageLink, isSignInPageLink } from './externalLinks.ts';

describe('isAllowedExternalLink', () => {
  it('admits the meeting providers, by native scheme and by https', () => {
    for (const link of [
      'msteams:/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      'zoommtg://zoom.us/join?confno=81234567890&pwd=abc',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc',
      'https://acme.zoom.us/j/81234567890?pwd=abc',
      'https://meet.google.com/abc-defg-hij',
      'https://gov.teams.microsoft.us/l/meetup-join/19%3ameeting_abc',
      'https://agency.zoomgov.com/j/1612345678?pwd=abc',
    ]) {
      expect(isAllowedExternalLink(link), link).toBe(true);
    }
  });

  it("admits the providers' sign-in pages, where connecting an account gives consent", () => {
    for (const link of [
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=abc&state=xyz',
      'https://accounts.google.com/o/oauth2/v2/auth?client_id=abc&state=xyz',
    ]) {
      expect(isAllowedExternalLink(link), link).toBe(true);
    }
  });

  it('refuses everything else, including look-alikes and dangerous schemes', () => {
    for (const link of [
      'http://meet.google.com/abc-defg-hij',
      'https://meet.google.com.evil.example/abc',
      'https://evilzoom.us/j/1',
      'https://evilzoomgov.com/j/1',
      'http://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
      'https://login.microsoftonline.com.evil.example/authorize',
      'https://evilaccounts.google.com/o/oauth2/v2/auth',
      'https://google.com/o/oauth2/v2/auth',
      'https://teams.microsoft.us.evil.example/l/1',
      'https://user:pw@zoom.us/j/1',
      'https://zoom.us:8443/j/1',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'tandem://join/abc',
      'not a url',
    ]) {
      expect(isAllowedExternalLink(link), link).toBe(false);
    }
  });
});

describe('isSignInPageLink', () => {
  it("admits any https identity provider and a provider on this machine's loopback", () => {
    for (const link of [
      'https://acme.okta.com/oauth2/v1/authorize?client_id=abc',
      'https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize',
      'http://127.0.0.1:4000/auth?client_id=abc',
      'http://localhost:4000/auth',
      'http://[::1]:4000/auth',
    ]) {
      expect(isSignInPageLink(link), link).toBe(true);
    }
  });

  it('refuses plain http elsewhere, credentials in the URL and other schemes', () => {
    for (const link of [
      'http://acme.okta.com/oauth2/v1/authorize',
      'http://127.0.0.1.evil.example/auth',
      'https://user:pw@acme.okta.com/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'tandem://join/abc',
      'not a url',
    ]) {
      expect(isSignInPageLink(link), link).toBe(false);
    }
  });
});

describe('isPageLink', () => {
  it("admits the organisation's app pages over http and https, at a field too", () => {
    for (const link of [
      'https://erp.acme.example/purchaseorderview/edit/1#tandem-field=amount',
      'http://intranet.acme.local:8080/orders/7',
    ]) {
      expect(isPageLink(link), link).toBe(true);
    }
  });

  it('refuses credentials in the URL and other schemes', () => {
    for (const link of ['https://ada:pw@erp.acme.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'x']) {
      expect(isPageLink(link), link).toBe(false);
    }
  });
});
