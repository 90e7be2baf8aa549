import {
  SCIM_BASE_PATH,
  SCIM_MEDIA_TYPE,
  SCIM_SCHEMA,
  ScimListQuerySchema,
  ScimPatchRequestSchema,
  ScimUserInputSchema,
  type ScimError,
  type ScimErrorType,
} from '@tandem/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ScimProblem, ServiceError, type ScimClient, type Services } from '../services/index.ts';
import { HttpError, STATUS_OF } from './errors.ts';
import { rateLimiter } from './rateLimit.ts';
import { originOf } from './routes.ts';
import { listOf, serviceProviderConfig, userResourceType, userSchema } from './scimDiscovery.ts';

const CONTENT_TYPE = `${SCIM_MEDIA_TYPE}; charset=utf-8`;
const BEARER = /^Bearer\s+(\S{1,300})$/i;

function errorBody(status: number, detail: string, scimType?: ScimErrorType): ScimError {
  return {
    schemas: [SCIM_SCHEMA.error],
    status: String(status),
    ...(scimType === undefined ? {} : { scimType }),
    detail,
  };
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(CONTENT_TYPE).send(JSON.stringify(body));
}

/** Everything thrown under /scim/v2, answered in SCIM's error shape (RFC 7644 §3.12). */
function problemOf(error: unknown): { status: number; detail: string; scimType?: ScimErrorType } {
  if (error instanceof ScimProblem) {
    return { status: error.status, detail: error.message, ...(error.scimType ? { scimType: error.scimType } : {}) };
  }
  // The people service's refusals (the last owner stays, a guest is not found) and the rate limit.
  if (error instanceof ServiceError || error instanceof HttpError) {
    return { status: STATUS_OF[error.code], detail: error.message };
  }
  const status = typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : 500;
  if (status >= 400 && status < 500 && error instanceof Error) {
    // Fastify's own: a body that is not JSON, an unsupported media type, a body over the limit.
    const syntax = status === 400 && (error instanceof SyntaxError || /JSON/i.test(error.message));
    return { status, detail: error.message, ...(syntax ? { scimType: 'invalidSyntax' as const } : {}) };
  }
  return { status: 500, detail: 'internal error' };
}

function parsed<T extends z.ZodType>(schema: T, value: unknown, scimType: ScimErrorType, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? where : issue.path.map(String).join('.');
  throw new ScimProblem(400, `${path}: ${issue?.message ?? 'invalid'}`, scimType);
}

/**
 * SCIM 2.0 under /scim/v2, outside the ROUTES table: it has its own media type
 * (application/scim+json, JSON accepted too), its own error shape, and its own bearer, an
 * organisation's provisioning token, limited per token. Users only: Groups, /Me and /Bulk answer
 * 501 as RFC 7644 has a server answer what it does not implement.
 */
export function registerScim(app: FastifyInstance, s: Services, options: { readonly perMinute: number }): void {
  const perToken = rateLimiter(s.cluster, options.perMinute, 'provisioning requests with this token');

  void app.register(
    async (scope) => {
      scope.addContentTypeParser(SCIM_MEDIA_TYPE, { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'error'));
      scope.setErrorHandler((error, request, reply) => {
        const problem = problemOf(error);
        if (problem.status === 500) request.log.error(error, 'SCIM request failed');
        if (problem.status === 401) void reply.header('www-authenticate', 'Bearer realm="scim"');
        if (problem.status === 429) void reply.header('retry-after', '60');
        return send(reply, problem.status, errorBody(problem.status, problem.detail, problem.scimType));
      });
      scope.setNotFoundHandler((request, reply) =>
        send(reply, 404, errorBody(404, `no SCIM endpoint ${request.method} ${request.url.split('?')[0] ?? ''}`)),
      );

      async function client(request: FastifyRequest): Promise<ScimClient> {
        const secret = BEARER.exec(request.headers.authorization ?? '')?.[1];
        const found = secret === undefined ? undefined : await s.scim.authenticate(secret, originOf(request));
        if (found === undefined) {
          throw new ScimProblem(401, 'a working provisioning token is required: Authorization: Bearer <token>');
        }
        await perToken(found.tokenId);
        return found;
      }
      const base = (): string => s.scim.baseUrl();

      scope.get('/ServiceProviderConfig', async (request, reply) => {
        await client(request);
        return send(reply, 200, serviceProviderConfig(base()));
      });
      scope.get('/ResourceTypes', async (request, reply) => {
        await client(request);
        return send(reply, 200, listOf([userResourceType(base())]));
      });
      scope.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
        await client(request);
        if (request.params.id !== 'User') throw new ScimProblem(404, `no resource type ${request.params.id}`);
        return send(reply, 200, userResourceType(base()));
      });
      scope.get('/Schemas', async (request, reply) => {
        await client(request);
        return send(reply, 200, listOf([userSchema(base())]));
      });
      scope.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
        await client(request);
        if (request.params.id !== SCIM_SCHEMA.user) throw new ScimProblem(404, `no schema ${request.params.id}`);
        return send(reply, 200, userSchema(base()));
      });

      scope.get('/Users', async (request, reply) => {
        const c = await client(request);
        const query = parsed(ScimListQuerySchema, request.query ?? {}, 'invalidValue', 'query');
        return send(reply, 200, await s.scim.list(c, query));
      });
      scope.post('/Users', async (request, reply) => {
        const c = await client(request);
        const user = await s.scim.create(c, parsed(ScimUserInputSchema, request.body, 'invalidValue', 'body'));
        void reply.header('location', user.meta.location);
        return send(reply, 201, user);
      });
      scope.get<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
        const c = await client(request);
        return send(reply, 200, await s.scim.get(c, request.params.id));
      });
      scope.put<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
        const c = await client(request);
        const input = parsed(ScimUserInputSchema, request.body, 'invalidValue', 'body');
        return send(reply, 200, await s.scim.replace(c, request.params.id, input));
      });
      scope.patch<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
        const c = await client(request);
        const patch = parsed(ScimPatchRequestSchema, request.body, 'invalidSyntax', 'body');
        return send(reply, 200, await s.scim.patch(c, request.params.id, patch));
      });
      scope.delete<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
        const c = await client(request);
        await s.scim.remove(c, request.params.id);
        return reply.code(204).send();
      });

      const notImplemented = async (request: FastifyRequest): Promise<never> => {
        await client(request);
        const path = request.url.split('?')[0] ?? '';
        throw new ScimProblem(
          501,
          `${path} is not implemented: only Users are provisioned (turn group provisioning off)`,
        );
      };
      for (const url of ['/Groups', '/Groups/*', '/Me', '/Bulk']) scope.all(url, notImplemented);
    },
    { prefix: SCIM_BASE_PATH },
  );
}
