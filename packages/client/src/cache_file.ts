// The cache file: the last catalog held, so a client can start while the
// server is unreachable. Written atomically (a temporary file renamed over it),
// so a reader never sees half of one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CatalogView } from '@tariff/pricing';
import { type CatalogDeltaBody, fullBody, viewOf } from './catalog.ts';

const FORMAT = 'tariff-catalog/1';

export async function readCacheFile(path: string): Promise<CatalogView> {
  const file = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; catalog?: CatalogDeltaBody };
  if (file.format !== FORMAT || !file.catalog) throw new Error(`${path} is not a tariff catalog cache file (${FORMAT})`);
  return viewOf(file.catalog);
}

export async function writeCacheFile(path: string, view: CatalogView): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, JSON.stringify({ format: FORMAT, catalog: fullBody(view, false) }));
  await rename(temporary, path);
}
