// GET /openapi.json: an OpenAPI 3.1 document built from the zod schemas the
// routes validate with, so the document cannot drift from the checks.
// Its parts: ./openapi/ (the builders, the component schemas, the public and
// the admin paths).
import { ADMIN_PATHS } from './openapi/admin_paths.ts';
import { COMPONENTS } from './openapi/components.ts';
import { PUBLIC_PATHS } from './openapi/public_paths.ts';

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'tariff', version, description: 'LLM model prices: exact, current, in USD and local currency.' },
    paths: { ...PUBLIC_PATHS, ...ADMIN_PATHS },
    components: COMPONENTS,
  };
}
