import { loadConfig } from '@cadence/config';
import { createDataSource } from './data-source';

/** Entry for the TypeORM CLI: `npm run migrate` (typeorm migration:run -d <this file, compiled>). */
export default createDataSource(loadConfig().DATABASE_URL, 2);
