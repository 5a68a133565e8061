import { abortedError } from '../../core/errors.js';

/**
 * An AbortSignal for the time a person is being waited for: Ctrl-C (SIGINT) aborts it with an
 * `aborted` error (exit 130) instead of killing the process, so the loopback listener is closed
 * and the browser tab told; the time limit aborts it with the given error.
 */
export function waitSignal(timeoutMs: number, onTimeout: () => Error): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort(abortedError('Sign-in cancelled (Ctrl-C).'));
  process.once('SIGINT', onSigint);
  const timer = setTimeout(() => controller.abort(onTimeout()), timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      process.off('SIGINT', onSigint);
    },
  };
}
