import { describe, expect, it } from 'vitest';
import {
  FilterError,
  impliedBy,
  matches,
  narrowingOf,
  parseFilter,
  parsePatchPath,
  type FilterRecord,
} from './scimFilter.ts';

const ada: FilterRecord = {
  id: '0b7c8a36-5d0e-4f3b-9d57-6f0c1b2a3e4d',
  externalid: '00ujl29u0le5T6Aj10h7',
  username: 'Ada.Lovelace@Example.com',
  displayname: 'Ada Lovelace',
  active: true,
  'name.givenname': 'Ada',
  'name.familyname': 'Lovelace',
  'name.formatted': 'Ada Lovelace',
  'meta.created': '2026-01-10T09:00:00.000Z',
  'meta.lastmodified': '2026-02-01T09:00:00.000Z',
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
};

const test = (filter: string): boolean => matches(parseFilter(filter), ada);
const parsePatch = (path: string) => parsePatchPath(path, (attr) => attr !== 'phonenumbers');

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it('matches what Okta and Entra ID send: userName, externalId and work e-mail equality', () => {
    expect(test('userName eq "ada.lovelace@example.com"')).toBe(true); // userName is not case-exact
    expect(test('userName eq "grace@example.com"')).toBe(false);
    expect(test('externalId eq "00ujl29u0le5T6Aj10h7"')).toBe(true);
    expect(test('externalId eq "00UJL29U0LE5T6AJ10H7"')).toBe(false); // externalId is case-exact
    expect(test('emails[type eq "work"].value eq "ADA@example.com"')).toBe(true);
    expect(test('emails[type eq "home"].value eq "ada@example.com"')).toBe(false);
    expect(test('emails.value eq "ada@example.com"')).toBe(true);
    expect(test('emails eq "ada@example.com"')).toBe(true);
    expect(test('emails[type eq "work" and primary eq true]')).toBe(true);
  });

  it('reads operators and keywords in any case, and the core schema URN before a name', () => {
    expect(test('userName EQ "ada.lovelace@example.com" AND active Eq true')).toBe(true);
    expect(test('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ada.lovelace@example.com"')).toBe(true);
    expect(test('NAME.GIVENNAME sw "ad"')).toBe(true);
  });

  it('applies and before or, not and parentheses, pr, ne and the ordering operators', () => {
    expect(test('userName eq "x" or userName co "lovelace" and active eq true')).toBe(true);
    expect(test('(userName eq "x" or userName co "lovelace") and active eq false')).toBe(false);
    expect(test('not (active eq false)')).toBe(true);
    expect(test('externalId pr')).toBe(true);
    expect(test('displayName ne "Grace Hopper"')).toBe(true);
    expect(test('name.familyName ew "lace"')).toBe(true);
    expect(test('meta.created gt "2026-01-01T00:00:00Z"')).toBe(true);
    expect(test('meta.lastModified lt "2026-01-01T00:00:00Z"')).toBe(false);
    expect(test('externalId eq null')).toBe(false);
    expect(test('active eq "True"')).toBe(true); // Entra ID's string booleans
  });

  it('refuses what it does not support instead of matching loosely', () => {
    const refused = [
      '',
      'userName',
      'userName eq',
      'userName eq "unterminated',
      'userName xx "a"',
      'title eq "Engineer"',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "R&D"',
      'userName eq "a" and',
      '(userName eq "a"',
      'userName eq "a")',
      'emails[type eq "work"',
      'emails[nope eq "x"]',
      'active gt true',
      'userName eq 3',
      'meta.created gt "yesterday"',
      'userName eq "a" garbage',
      'name[givenName eq "a"]',
    ];
    for (const filter of refused) expect(() => parseFilter(filter), filter).toThrow(FilterError);
  });

  it('names an equality the store can look up by index', () => {
    expect(narrowingOf(parseFilter('userName eq "a@example.com"'))).toEqual({ by: 'userName', value: 'a@example.com' });
    expect(narrowingOf(parseFilter('active eq true and externalId eq "x1"'))).toEqual({
      by: 'externalId',
      value: 'x1',
    });
    expect(narrowingOf(parseFilter('emails[type eq "work"].value eq "a@example.com"'))).toEqual({
      by: 'email',
      value: 'a@example.com',
    });
    expect(narrowingOf(parseFilter('userName eq "a" or userName eq "b"'))).toBeUndefined();
    expect(narrowingOf(parseFilter('userName sw "a"'))).toBeUndefined();
  });
});

describe('SCIM PATCH paths (RFC 7644 §3.5.2)', () => {
  it('reads plain, dotted, URN-prefixed and value-filtered paths', () => {
    expect(parsePatch('active')).toEqual({ path: { attr: 'active' } });
    expect(parsePatch('name.givenName')).toEqual({ path: { attr: 'name', sub: 'givenname' } });
    expect(parsePatch('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toEqual({
      path: { attr: 'username' },
    });
    const work = parsePatch('emails[type eq "work"].value');
    expect(work?.path).toEqual({ attr: 'emails', sub: 'value' });
    expect(work?.element === undefined ? undefined : impliedBy(work.element)).toEqual({ type: 'work' });
  });

  it('leaves out attributes not kept (another schema’s, or refused by the caller) and refuses malformed paths', () => {
    expect(parsePatch('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBeUndefined();
    expect(parsePatch('phoneNumbers[type eq "work"].value')).toBeUndefined();
    for (const bad of [
      'emails[type eq "work"',
      'emails[]',
      'name[givenName eq "a"]',
      'emails[type eq "work"]x',
      '1abc',
    ]) {
      expect(() => parsePatch(bad), bad).toThrow(FilterError);
    }
  });
});
