import { join } from 'node:path';
import { loadConfig, register } from 'tsconfig-paths';

/**
 * Jest's global setup runs outside its module mapping: importing this first lets the libs' indexes (and the
 * @cadence/<lib> imports inside them) resolve there through the same tsconfig paths that map them elsewhere.
 */
const root = join(__dirname, '..', '..');
const tsconfig = loadConfig(root);
if (tsconfig.resultType === 'failed') throw new Error(`tsconfig paths: ${tsconfig.message}`);
register({ baseUrl: tsconfig.absoluteBaseUrl, paths: tsconfig.paths });
