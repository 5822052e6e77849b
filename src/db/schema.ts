// Where tariff's migrations live and where node-pg-migrate records them; kept
// apart from migrate.ts so API processes can check the schema without loading
// the migration runner.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';

/** The migrations this code expects, by name (file name without .sql), in order. */
export function expectedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith('.sql')).map((file) => file.replace(/\.sql$/, '')).sort();
}
