import { freeTcpPort } from '@tandem/devstack';
import { WebSocket } from 'ws';

/**
 * A Node server's inspector on a loopback port of its own, to ask it what it keeps
 * (`retainedBytes`): the flag its process starts with, and the port.
 */
export async function inspectorOnLoopback(): Promise<{ readonly flag: string; readonly port: number }> {
  const port = await freeTcpPort();
  return { flag: `--inspect=127.0.0.1:${port}`, port };
}

type Answer = { readonly id: number; readonly result?: unknown; readonly error?: { readonly message: string } };

/**
 * What a Node process keeps once garbage is gone: a full collection (the DevTools protocol's
 * `HeapProfiler.collectGarbage`), then its heap in use plus the memory it holds outside the heap
 * (`process.memoryUsage()`'s `external`, which counts its array buffers). Unlike a change in RSS
 * it does not count garbage not yet collected nor pages the heap keeps for later, so it is the
 * figure to divide by sockets.
 */
export async function retainedBytes(inspectorPort: number, answerWithinMs = 30_000): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as readonly {
    readonly webSocketDebuggerUrl: string;
  }[];
  const target = targets[0];
  if (target === undefined) throw new Error(`no inspector target on port ${inspectorPort}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const waiting = new Map<number, (answer: Answer) => void>();
  socket.on('message', (data) => {
    const answer = JSON.parse(String(data)) as Partial<Answer>;
    if (typeof answer.id === 'number') waiting.get(answer.id)?.(answer as Answer);
  });
  // The server died or closed its inspector: what was asked fails instead of waiting for ever.
  socket.once('close', () => {
    for (const [id, settle] of waiting) settle({ id, error: { message: 'the inspector closed the connection' } });
  });
  let ids = 0;
  const ask = (method: string, params: object = {}): Promise<unknown> => {
    const id = (ids += 1);
    return new Promise((resolve, reject) => {
      // A process busy or exiting (which waits for the inspector's client to leave) may never answer.
      const timer = setTimeout(
        () => waiting.get(id)?.({ id, error: { message: `no answer within ${answerWithinMs} ms` } }),
        answerWithinMs,
      );
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (answer.error !== undefined) reject(new Error(`${method}: ${answer.error.message}`));
        else resolve(answer.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  };
  try {
    await ask('HeapProfiler.collectGarbage');
    const evaluated = (await ask('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { readonly result: { readonly value: string } };
    const usage = JSON.parse(evaluated.result.value) as NodeJS.MemoryUsage;
    return usage.heapUsed + usage.external;
  } finally {
    socket.close();
  }
}
