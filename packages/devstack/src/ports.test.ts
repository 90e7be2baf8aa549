import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortTaken, freeTcpPort, spawnListening, webhookPair } from './ports.ts';

const listen = (server: net.Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
const close = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('webhookPair', () => {
  it('starts the sender and the receiver again on a new port when the first was taken in between', async () => {
    const urls: string[] = [];
    let stopped = 0;
    // Another process takes the first port chosen while the sender starts.
    const squatter = net.createServer();
    const [sender, receiver] = await webhookPair(
      '/livekit/webhook',
      async (url) => {
        urls.push(url);
        if (urls.length === 1) await listen(squatter, Number(new URL(url).port));
        return {
          url,
          stop: async () => {
            stopped += 1;
          },
        };
      },
      async (_sender, port) => {
        const server = http.createServer();
        await listen(server, port);
        return server;
      },
    );
    try {
      expect(urls).toHaveLength(2);
      expect(urls[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/livekit\/webhook$/);
      expect(urls[1]).not.toBe(urls[0]);
      expect(sender.url).toBe(urls[1]);
      // The first sender was stopped; the one returned is still running.
      expect(stopped).toBe(1);
      expect((receiver.address() as net.AddressInfo).port).toBe(Number(new URL(urls[1] ?? '').port));
    } finally {
      await close(receiver);
      await close(squatter);
    }
  });

  it('passes on any other failure of the receiver at once, with the sender stopped', async () => {
    let started = 0;
    let stopped = 0;
    await expect(
      webhookPair(
        '/hook',
        async () => {
          started += 1;
          return {
            stop: async () => {
              stopped += 1;
            },
          };
        },
        async () => {
          throw new Error('the database is away');
        },
      ),
    ).rejects.toThrow('the database is away');
    expect([started, stopped]).toEqual([1, 1]);
  });
});

describe('spawnListening', () => {
  const node = (code: string, logFile: string, port: number, ms: number) =>
    spawnListening(process.execPath, ['-e', code], logFile, [port], ms);
  const listenOn = (port: number) => `require('node:net').createServer().listen(${port}, '127.0.0.1')`;
  const logFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-ports-')), 'server.log');

  it('waits for the started process itself to listen, not for another one answering on its port', async () => {
    const port = await freeTcpPort();
    // Someone else answers on the port; the started process never binds it.
    const squatter = net.createServer();
    await listen(squatter, port);
    try {
      await expect(node('setInterval(() => {}, 1000)', logFile(), port, 600)).rejects.toThrow(/did not listen/);
    } finally {
      await close(squatter);
    }
    // Free again: a process that binds it is seen listening.
    const server = await node(listenOn(port), logFile(), port, 10_000);
    await server.stop();
  });

  it('says PortTaken when the process logs that its port is taken, not when an earlier one on its log did', async () => {
    const port = await freeTcpPort();
    const log = logFile();
    const squatter = net.createServer();
    await listen(squatter, port);
    try {
      await expect(node(listenOn(port), log, port, 10_000)).rejects.toBeInstanceOf(PortTaken);
    } finally {
      await close(squatter);
    }
    expect(fs.readFileSync(log, 'utf8')).toMatch(/EADDRINUSE/);
    // The next server on the same log and port starts.
    const server = await node(listenOn(port), log, port, 10_000);
    await server.stop();
  });
});
