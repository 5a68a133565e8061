import { afterAll, beforeAll } from 'vitest';

/**
 * A resource for the describe block this is called in (or the file, at top level): started in its
 * beforeAll, stopped in its afterAll. The returned object stands for it from beforeAll on; reading
 * it earlier (at collection time) throws, naming `what`.
 */
export function forSuite<T extends object>(
  what: string,
  start: () => Promise<T>,
  stop: (resource: T) => Promise<unknown>,
): T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await start();
  });
  afterAll(async () => {
    if (resource) await stop(resource);
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!resource) throw new Error(`${what} is started in beforeAll; use it inside a test`);
      const value: unknown = Reflect.get(resource, key, resource);
      return typeof value === 'function' ? value.bind(resource) : value;
    },
  });
}
