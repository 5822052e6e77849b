// The client's `remote` is typed from the server's OpenAPI document: the
// committed generated file must be what openapi-typescript makes of it now.
import { readFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, generateClientTypes } from '../../scripts/client-types.ts';

test('packages/client/src/generated/openapi.ts is generated from the current OpenAPI document (npm run client:types)', async () => {
  const generated = await generateClientTypes();
  expect(generated).toContain('"/costs/changes"');
  expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(generated);
});
