import { z } from 'zod';

/** The only reader of the environment in the server. Everything else receives a Config. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  LIVEKIT_URL: z.string().url(),
  LIVEKIT_API_KEY: z.string().min(1),
  LIVEKIT_API_SECRET: z.string().min(32),
  DATABASE_PATH: z.string().default('tandem-server.db'),
});

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly livekit: { readonly wsUrl: string; readonly apiKey: string; readonly apiSecret: string };
  readonly databasePath: string;
};

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid server configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    livekit: { wsUrl: e.LIVEKIT_URL, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET },
    databasePath: e.DATABASE_PATH,
  };
}
