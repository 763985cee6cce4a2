export { InMemoryDatabase, type StoredEnrollment } from './in-memory-database';
export { InMemoryPublisher } from './in-memory-publisher';
