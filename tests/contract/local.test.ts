import { testDatabase } from '../helpers/db.js';
import { contractSuite } from './suite.js';

contractSuite('local (PGlite with the real migrations, folder buckets)', async () => {
  const t = await testDatabase();
  return {
    backend: await t.user(),
    other: await t.user(),
    close: () => t.close(),
  };
});
