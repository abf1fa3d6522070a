// `npm run migrate`: applies pending migrations to DATABASE_URL (docker-compose
// runs this as its migration step).
import { runMigrations } from '#persistence';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('Configuration error: DATABASE_URL: is required but not set\n');
  process.exit(78);
}
const applied = await runMigrations(url);
process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
