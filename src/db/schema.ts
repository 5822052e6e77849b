// Where tariff's migrations live and where node-pg-migrate records them; kept
// apart from migrate.ts so API processes can check the schema without loading
// the migration runner.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';
