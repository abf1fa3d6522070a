// Drops this run's database (unless TEST_KEEP_DATABASE is set) and stops any
// service the setup started.
import pg from 'pg';

export default async function globalTeardown() {
  const { TEST_BASE_DATABASE_URL: baseUrl, TEST_DATABASE_NAME: name } = process.env;
  if (baseUrl && name && !process.env.TEST_KEEP_DATABASE) {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  for (const stop of globalThis.__testServiceStops ?? []) await stop();
}
