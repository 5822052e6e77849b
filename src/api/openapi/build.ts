// The pieces every part of the OpenAPI document is built of: JSON Schema from
// the zod schemas the routes validate with, parameters, bodies and responses.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export const schema = (type: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

export function queryParameters(type: z.ZodObject): JsonSchema[] {
  const json = schema(type) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema: property,
  }));
}

export const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
export const jsonBody = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type) } } });
export const errorResponse = { description: 'JSON error naming the problem', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
export const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
export const okWith = (description: string, ref: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
/** An admin route's security: the bearer ADMIN_TOKEN. */
export const admin = [{ bearer: [] }];
