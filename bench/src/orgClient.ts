import { randomUUID } from 'node:crypto';
import { WS_PATH, type AuthSession, type Conversation, type ServerMessage } from '@tandem/shared';
import WebSocket from 'ws';

/** A small typed HTTP caller for the coordination server, for load generation. */
export async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export type Member = { readonly userId: string; readonly accessToken: string };

/** An organisation with `members` people (the owner first), each signed in. */
export async function createOrganisation(
  base: string,
  members: number,
): Promise<{ owner: AuthSession; members: Member[] }> {
  const password = 'bench-password-123';
  const tag = randomUUID().slice(0, 8);
  const owner = await call<AuthSession>(base, 'POST', '/auth/signup', undefined, {
    organisationName: `bench-${tag}`,
    name: 'Owner',
    email: `owner-${tag}@bench.test`,
    password,
  });
  const out: Member[] = [{ userId: owner.user.id, accessToken: owner.tokens.accessToken }];
  const pending: Promise<void>[] = [];
  for (let i = 1; i < members; i += 1) {
    const email = `m${i}-${tag}@bench.test`;
    pending.push(
      call(base, 'POST', '/users', owner.tokens.accessToken, { email, name: `Member ${i}`, password, role: 'member' })
        .then(() => call<AuthSession>(base, 'POST', '/auth/signin', undefined, { email, password }))
        .then((s) => {
          out.push({ userId: s.user.id, accessToken: s.tokens.accessToken });
        }),
    );
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { owner, members: out };
}

export async function createChannel(base: string, token: string, name: string): Promise<Conversation> {
  return call<Conversation>(base, 'POST', '/conversations', token, { name });
}

/** An authenticated WebSocket; resolves once the server said `ready`. */
export function connect(base: string, accessToken: string, onMessage: (m: ServerMessage) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}${WS_PATH}`);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', accessToken })));
    socket.once('error', reject);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'ready') resolve(socket);
      onMessage(message);
    });
  });
}
