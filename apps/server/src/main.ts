import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

/** Composition root of the coordination server. */
const config = loadConfig(process.env);
const app = buildApp(config);
const address = await app.listen({ port: config.port, host: config.host });
app.log.info(`tandem server listening on ${address}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
