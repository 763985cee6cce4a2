import { TestEnvironment } from './test-environment';

type Settings = Record<string, string>;

/**
 * The test file's environment, created in beforeAll and closed in afterAll (after the hooks declared before
 * this call: jest runs afterAll hooks in declaration order). `settings` are its configuration overrides, or a
 * function run in beforeAll that returns them (for values known only then, such as a fake server's address).
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
