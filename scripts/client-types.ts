// The types of @tariff/client's `remote`, generated from the server's OpenAPI
// document with openapi-typescript: `npm run client:types` writes them, and
// test/client/openapi_types.test.ts fails while the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../src/api/openapi.ts';

export const CLIENT_TYPES_FILE = new URL('../packages/client/src/generated/openapi.ts', import.meta.url);

const HEADER = `// Generated from tariff's OpenAPI document (GET /openapi.json) by openapi-typescript:
// do not edit; run \`npm run client:types\` after changing src/api/openapi.ts.
`;

export async function generateClientTypes(): Promise<string> {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const ast = await openapiTS(JSON.parse(JSON.stringify(openApiDocument(version))) as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(CLIENT_TYPES_FILE, await generateClientTypes());
}
