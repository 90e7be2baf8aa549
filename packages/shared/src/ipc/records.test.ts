import { describe, expect, it } from 'vitest';
import { conversationTitle } from './records.ts';

const member = (id: string, name: string) => ({ id, name });
const group = {
  kind: 'group' as const,
  name: '',
  members: [member('me', 'Ada'), member('g', 'Grace'), member('l', 'Linus'), member('k', 'Katherine')],
};

describe('conversationTitle', () => {
  it('names an unnamed group by its other members, joined in the shown language', () => {
    expect(conversationTitle(group, 'me')).toBe('Grace, Linus, and Katherine');
    expect(conversationTitle(group, 'me', 'de')).toBe('Grace, Linus und Katherine');
    expect(conversationTitle(group, 'me', 'ja')).toBe('Grace、Linus、Katherine');
  });

  it('a direct chat by the other person, a named one by its name, nobody else as empty', () => {
    expect(
      conversationTitle({ kind: 'direct', name: '', members: [member('me', 'Ada'), member('g', 'Grace')] }, 'me'),
    ).toBe('Grace');
    expect(conversationTitle({ ...group, name: 'Release' }, 'me', 'de')).toBe('Release');
    expect(conversationTitle({ kind: 'group', name: '', members: [member('me', 'Ada')] }, 'me')).toBe('');
  });
});
