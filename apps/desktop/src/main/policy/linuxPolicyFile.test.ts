import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINUX_POLICY_PATH, linuxPolicyFileSource, type OwnedFile } from './linuxPolicyFile.ts';
import { loadPolicy } from './loadPolicy.ts';
import { nodePolicySeams } from './nodeSeams.ts';

const TEXT = JSON.stringify({ serverUrl: 'https://tandem.corp.example', telemetry: false, signInMethod: 'kerberos' });
const read = (file: OwnedFile) => async () => file;

describe('linuxPolicyFileSource', () => {
  it('reads /etc/tandem/policies.json', () => {
    expect(LINUX_POLICY_PATH).toBe('/etc/tandem/policies.json');
  });

  it('applies a root-owned file and reports invalid values', async () => {
    const { policy, problems } = await loadPolicy(linuxPolicyFileSource(read({ uid: 0, mode: 0o100644, text: TEXT })));
    expect(policy).toEqual({ serverUrl: 'https://tandem.corp.example', telemetry: false });
    expect(problems.map((problem) => problem.key)).toEqual(['signInMethod']);
  });

  it('refuses a file not owned by root', async () => {
    const { policy, problems } = await loadPolicy(
      linuxPolicyFileSource(read({ uid: 1000, mode: 0o100644, text: TEXT })),
    );
    expect(policy).toEqual({});
    expect(problems[0]?.message).toBe('ignored: owned by uid 1000, not root');
  });

  it('refuses a world-writable file', async () => {
    const { policy, problems } = await loadPolicy(linuxPolicyFileSource(read({ uid: 0, mode: 0o100666, text: TEXT })));
    expect(policy).toEqual({});
    expect(problems[0]?.message).toBe('ignored: the file is world-writable');
  });

  it('reports a file that is not a JSON object', async () => {
    for (const text of ['{"serverUrl": ', '["serverUrl"]']) {
      const { policy, problems } = await loadPolicy(linuxPolicyFileSource(read({ uid: 0, mode: 0o100644, text })));
      expect(policy).toEqual({});
      expect(problems).toHaveLength(1);
    }
  });
});

describe('linuxPolicyFileSource on real files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tandem-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const { readOwnedFile } = nodePolicySeams();

  it('has no policy when the file is missing', async () => {
    const source = linuxPolicyFileSource(readOwnedFile, path.join(dir, 'missing.json'));
    expect(await loadPolicy(source)).toEqual({ policy: {}, problems: [] });
  });

  it('sees the owner and the world-writable bit of the file it reads', async () => {
    const file = path.join(dir, 'policies.json');
    await writeFile(file, TEXT);
    await chmod(file, 0o644);
    const readable = await readOwnedFile(file);
    expect(readable).toMatchObject({ uid: process.getuid?.(), text: TEXT });
    await chmod(file, 0o666);
    const { policy, problems } = await loadPolicy(linuxPolicyFileSource(readOwnedFile, file));
    expect(policy).toEqual({});
    expect(problems[0]?.message).toMatch(/^ignored: /);
  });
});
