// Where tariff's database is: DATABASE_URL, or an embedded server it starts.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { createClient, isPgError, PG_ERROR } from './pool.ts';

export interface Database {
  url: string;
  embedded: EmbeddedPostgres | undefined;
}

const EMBEDDED_DATABASE = 'tariff';

export async function resolveDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.EMBEDDED_POSTGRES_DIR,
    port: config.EMBEDDED_POSTGRES_PORT,
    logger: logger.child({ component: 'embedded-postgres' }),
  });
  try {
    await createDatabaseIfMissing(embedded.url, EMBEDDED_DATABASE);
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  const url = new URL(embedded.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), embedded };
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const client = createClient(serverUrl, 'tariff-setup');
  await client.connect();
  try {
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } catch (err) {
    if (!isPgError(err, PG_ERROR.DUPLICATE_DATABASE)) throw err;
  } finally {
    await client.end();
  }
}
