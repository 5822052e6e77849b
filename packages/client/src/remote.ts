// `tariff.remote`: a typed client of every route, its types generated from the
// server's OpenAPI document (./generated/openapi.ts).
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/openapi.ts';

export type RemoteClient = Client<paths>;

export function remoteClient(baseUrl: string): RemoteClient {
  return createClient<paths>({ baseUrl });
}

export type { paths };
