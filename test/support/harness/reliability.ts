import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../cli/runCli.js';

/**
 * Figures for docs/reliability.md, recorded by the test families as they run: each call appends
 * one JSON line to .reliability/<family>.jsonl. scripts/reliability.ts sums them after a test run.
 * Counts only what the test really did (cases generated, faults injected, consumers run, leaks
 * found), so the document reports the run, not intentions.
 */
export const RELIABILITY_DIR = path.join(REPO_ROOT, '.reliability');

export function recordReliability(family: string, figures: Record<string, number>, detail?: string): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  appendFileSync(
    path.join(RELIABILITY_DIR, `${family}.jsonl`),
    `${JSON.stringify({ at: new Date().toISOString(), figures, detail })}\n`,
  );
}
