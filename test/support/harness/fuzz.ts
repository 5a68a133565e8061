import fc from 'fast-check';
import { recordReliability } from './reliability.js';

/**
 * fc.assert for the fuzz tests whose counts go into docs/reliability.md: runs the property, records
 * in the 'fuzz' family the number of cases fast-check actually ran (RunDetails.numRuns, up to a
 * failure if there is one), then fails like fc.assert with fast-check's report (seed, path, the
 * counterexample). The count is never written by hand beside numRuns.
 */
export function assertFuzz<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts>, detail: string): void {
  const details = fc.check(property, params);
  recordReliability('fuzz', { cases: details.numRuns }, detail);
  if (details.failed) throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
}

/** assertFuzz for an asynchronous property. */
export async function assertFuzzAsync<Ts>(
  property: fc.IAsyncProperty<Ts>,
  params: fc.Parameters<Ts>,
  detail: string,
): Promise<void> {
  const details = await fc.check(property, params);
  recordReliability('fuzz', { cases: details.numRuns }, detail);
  if (details.failed) throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
}
