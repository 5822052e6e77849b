import { createClient } from '../../src/db/pool.ts';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TARIFF_TEST_SERVER_URL;
  const template = process.env.TARIFF_TEST_TEMPLATE;
  if (globalThis.tariffTestServer) {
    await globalThis.tariffTestServer.stop();
    return;
  }
  if (serverUrl && template) {
    const admin = createClient(serverUrl, 'tariff-test-teardown');
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${template}`);
    } finally {
      await admin.end();
    }
  }
}
