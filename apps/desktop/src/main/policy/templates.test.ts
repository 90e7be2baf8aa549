import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parsePolicy, POLICY_KEYS, PolicySchema, PRODUCT, type PolicyKey } from '@tandem/shared';
import { isPlainRecord } from './policySource.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const POLICIES = path.join(ROOT, 'resources/policies');
const REGISTRY_KEY = `SOFTWARE\\Policies\\${PRODUCT.vendor}\\${PRODUCT.productName}`;

const read = (file: string): Promise<string> => readFile(path.join(POLICIES, file), 'utf8');

/** Parses XML and fails on any error or warning, so a malformed template cannot pass. */
function xml(text: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

const elements = (root: Document | Element, name: string): Element[] => Array.from(root.getElementsByTagName(name));

/** How a key is offered in Group Policy follows from its zod schema. */
function kindOf(
  key: PolicyKey,
):
  | { readonly kind: 'flag' }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'text' } {
  const schema = PolicySchema.shape[key].unwrap();
  if (schema instanceof z.ZodEnum) return { kind: 'enum', options: schema.options as readonly string[] };
  return schema.safeParse(true).success ? { kind: 'flag' } : { kind: 'text' };
}

describe('ADMX/ADML templates', () => {
  it('offer every policy key under the policy registry key, with the type the schema expects', async () => {
    const admx = xml(await read('windows/tandem.admx'));
    const policies = elements(admx, 'policy');
    expect(policies.map((policy) => policy.getAttribute('name')).sort()).toEqual([...POLICY_KEYS].sort());
    for (const policy of policies) {
      const key = policy.getAttribute('name') as PolicyKey;
      expect(policy.getAttribute('key')).toBe(REGISTRY_KEY);
      const kind = kindOf(key);
      switch (kind.kind) {
        case 'flag':
          expect(policy.getAttribute('valueName')).toBe(key);
          expect(elements(policy, 'enabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value')).toBe(
            '1',
          );
          expect(elements(policy, 'disabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value')).toBe(
            '0',
          );
          break;
        case 'enum': {
          const [element] = elements(policy, 'enum');
          expect(element?.getAttribute('valueName')).toBe(key);
          const values = elements(policy, 'string').map((value) => value.textContent);
          expect(values).toEqual(kind.options);
          break;
        }
        case 'text':
          expect(elements(policy, 'text')[0]?.getAttribute('valueName')).toBe(key);
          break;
        default: {
          const unhandled: never = kind;
          throw new Error(`unhandled kind ${String(unhandled)}`);
        }
      }
    }
  });

  it('have every string and presentation the ADMX refers to in the ADML', async () => {
    const admxText = await read('windows/tandem.admx');
    xml(admxText);
    const adml = xml(await read('windows/en-US/tandem.adml'));
    const strings = new Set(elements(adml, 'string').map((string) => string.getAttribute('id')));
    const presentations = new Set(
      elements(adml, 'presentation').map((presentation) => presentation.getAttribute('id')),
    );
    const referred = (kind: string): string[] =>
      Array.from(admxText.matchAll(new RegExp(`\\$\\(${kind}\\.([^)]+)\\)`, 'g')), (match) => match[1] ?? '');
    expect(referred('string').filter((id) => !strings.has(id))).toEqual([]);
    expect(referred('presentation').filter((id) => !presentations.has(id))).toEqual([]);
    expect(referred('string')).toEqual(expect.arrayContaining(POLICY_KEYS.map((key) => `${key}_Explain`)));
  });
});

describe('macOS configuration profile', () => {
  it("sets every policy key, with valid values, in a payload of the app's id", async () => {
    const profile = parsePlist(await read('macos/com.tandem.desktop.mobileconfig'));
    expect(isPlainRecord(profile)).toBe(true);
    const content = isPlainRecord(profile) ? profile['PayloadContent'] : undefined;
    const payload = Array.isArray(content)
      ? content.find((item) => isPlainRecord(item) && item['PayloadType'] === PRODUCT.appId)
      : undefined;
    expect(isPlainRecord(payload)).toBe(true);
    const settings = Object.fromEntries(
      Object.entries(isPlainRecord(payload) ? payload : {}).filter(([key]) => !key.startsWith('Payload')),
    );
    expect(Object.keys(settings).sort()).toEqual([...POLICY_KEYS].sort());
    expect(parsePolicy(settings, 'mobileconfig').problems).toEqual([]);
  });
});

describe('Linux policies.json example', () => {
  it('sets every policy key with a valid value', async () => {
    const example = JSON.parse(await read('linux/policies.json')) as Record<string, unknown>;
    expect(Object.keys(example).sort()).toEqual([...POLICY_KEYS].sort());
    expect(parsePolicy(example, 'policies.json').problems).toEqual([]);
  });
});

describe('docs/it/policies.md', () => {
  it('documents every policy key', async () => {
    const docs = await readFile(path.join(ROOT, 'docs/it/policies.md'), 'utf8');
    expect(POLICY_KEYS.filter((key) => !docs.includes(`| \`${key}\``))).toEqual([]);
  });
});
