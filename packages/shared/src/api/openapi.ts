import { z } from 'zod';
import { ApiErrorSchema } from '../errors.ts';
import { PRODUCT } from '../product.ts';
import { ROUTES, type RouteDef } from './routes.ts';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
};

/** `/meetings/:meetingId` → `/meetings/{meetingId}` */
const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');

function parameters(route: RouteDef): JsonSchema[] {
  const fromObject = (where: 'path' | 'query', schema: z.ZodType): JsonSchema[] => {
    const js = jsonSchema(schema, 'input');
    const props = (js['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((js['required'] ?? []) as string[]);
    return Object.entries(props).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: s,
    }));
  };
  return [
    ...(route.params === undefined ? [] : fromObject('path', route.params)),
    ...(route.query === undefined ? [] : fromObject('query', route.query)),
  ];
}

const errorResponse = { content: { 'application/json': { schema: jsonSchema(ApiErrorSchema, 'output') } } };

/** The OpenAPI 3.1 document of the coordination server, made from ROUTES. */
export function openApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, route] of Object.entries(ROUTES) as [string, RouteDef][]) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId,
      summary: route.summary,
      ...(route.auth ? { security: [{ bearer: [] }] } : {}),
      parameters: parameters(route),
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }),
      responses: {
        [route.status]: {
          description: 'success',
          content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
        },
        '4XX': { description: 'machine-readable error', ...errorResponse },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `${PRODUCT.productName} coordination server`, version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
