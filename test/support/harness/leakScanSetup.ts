import { afterAll, afterEach } from 'vitest';
import { formatLeaks, leakScan } from './leakScan.js';
import { recordReliability } from './reliability.js';

/**
 * vitest setupFile: after each test, scans the fedlogin runs it made (stdout, stderr, argv, files
 * written) for the secrets this worker's test servers issued, and fails that test on a hit; after
 * the file, records the figures in .reliability/leak-scan.jsonl. See leakScan.ts for the rules.
 */

afterEach(async () => {
  const leaks = await leakScan.check();
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
});

afterAll(async () => {
  // runs that ended after their test's afterEach (kept running past it) are scanned here
  const leaks = await leakScan.check();
  const { runsScanned, secretsTracked, filesScanned, leaksFound, refusedOnArgv, scanMs } = leakScan.counts();
  if (runsScanned > 0) {
    const detail = `${refusedOnArgv} token(s) on argv of runs refused with exit 2; scan took ${Math.round(scanMs)} ms`;
    recordReliability('leak-scan', { runsScanned, secretsTracked, filesScanned, leaksFound }, detail);
  }
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
});
