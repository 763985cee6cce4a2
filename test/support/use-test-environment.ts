import { TestEnvironment } from './test-environment';

type Settings = Record<string, string>;

/**
 * The environment of a test file (or of a describe block): created in a beforeAll, closed in an afterAll.
 * Jest runs hooks in the order they are declared, so a beforeAll declared after this call already has the
 * environment, and an afterAll declared before it runs while the environment is still open (e.g. to stop
 * child processes). `settings` are its configuration overrides, or a function run in the beforeAll that
 * returns them (for values known only then, such as a fake server's address).
 *
 * Returns a stand-in that forwards to the environment once it exists; using it outside the hooks and tests
 * (at describe time) fails with a message saying so.
 */
export function useTestEnvironment(
  settings: Settings | (() => Settings | Promise<Settings>) = {},
): TestEnvironment {
  let env: TestEnvironment | undefined;
  beforeAll(async () => {
    env = await TestEnvironment.create(typeof settings === 'function' ? await settings() : settings);
  });
  afterAll(async () => {
    const created = env;
    env = undefined;
    await created?.close();
  });
  return new Proxy({} as TestEnvironment, {
    get(_, property) {
      if (!env) {
        throw new Error(
          `the test environment exists from its beforeAll to its afterAll (reading ${String(property)} outside them)`,
        );
      }
      const value: unknown = Reflect.get(env, property, env);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(env) : value;
    },
  });
}
