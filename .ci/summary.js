// The summary line of a CI run from vitest's JSON report: `N passed, F failed, S skipped`.
// A file that fails before its tests run (a missing tool on CI, an import error) counts as failed.
// The real-project Supabase suite needs a project's secrets: it may skip, and is named on a line of its own (the
// summary line stays alone: `tests: N passed, F failed, S skipped`), not counted.
// With CI=true any other skip fails the run: a green CI means every test ran.
import { readFileSync } from 'node:fs';

const ALLOWED_SKIP = /^Backend contract: supabase \(real project\)/;

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
let failed = 0;
const skipped = [];
const allowed = [];
for (const file of report.testResults) {
  if (file.status === 'failed' && file.assertionResults.length === 0) {
    failed++;
    console.log(`failed to run: ${file.name}: ${String(file.message).split('\n')[0]}`);
  }
  for (const test of file.assertionResults) {
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failed++;
    else (ALLOWED_SKIP.test(test.fullName) ? allowed : skipped).push(test.fullName);
  }
}
for (const name of skipped) console.log(`skipped: ${name}`);
for (const name of new Set(allowed)) console.log(`not run, needs a real project: ${name}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(failed > 0 || (process.env.CI === 'true' && skipped.length > 0) ? 1 : 0);
