import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import globalSetup from './global-setup';

/**
 * The browser project's setup: the integration project's (infrastructure, migrated template), then the
 * console's assets built from the sources as they are, which the api serves under /console.
 */
export default async function browserGlobalSetup(): Promise<void> {
  await globalSetup();
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-console.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
