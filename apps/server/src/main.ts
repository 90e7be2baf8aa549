import { loadConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, startServer } from './index.ts';

/** Entry point: read the environment, start, print where, stop on a signal. */
const config = loadConfig(process.env);
const server = await startServer(config);
console.log(`tandem server listening on ${server.url}`);
if (config.seedDemo) {
  for (const p of DEMO_PEOPLE) console.log(`demo sign-in: ${p.email} / ${DEMO_PASSWORD} (${p.role})`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
