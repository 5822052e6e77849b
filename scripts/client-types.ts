// npm run client:types: writes @tariff/client's remote types, generated from
// the server's OpenAPI document (./support/client-types.ts).
import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, generateClientTypes } from './support/client-types.ts';

writeFileSync(CLIENT_TYPES_FILE, await generateClientTypes());
