// `npm run migrate`: applies pending migrations to DATABASE_URL (docker-compose
// runs this as its migration step).
import { exitWithConfigError } from '#config';
import { runMigrations } from '#persistence';

const url = process.env.DATABASE_URL;
if (!url) exitWithConfigError('DATABASE_URL: is required but not set');
const applied = await runMigrations(url);
process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
