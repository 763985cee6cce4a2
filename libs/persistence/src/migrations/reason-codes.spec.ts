import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_CODES } from '@cadence/domain';

const CHECK = /CHECK \(reason IN \(([^)]*)\)\)/;

describe('the database knows the same reason codes as the domain', () => {
  it("the last migration that sets enrollment_decisions.reason's CHECK lists exactly REASON_CODES", () => {
    const migrations = readdirSync(__dirname)
      .filter((file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts'))
      .sort();
    // A migration's down() restores the previous list; its up() (written first) holds the new one.
    const lists = migrations.flatMap((file) => {
      const check = CHECK.exec(readFileSync(join(__dirname, file), 'utf8'));
      return check?.[1] ? [check[1]] : [];
    });
    const latest = lists.at(-1);
    expect(latest).toBeDefined();
    const listed = (latest ?? '').split(',').map((code) => code.trim().replace(/^'|'$/g, ''));
    expect(listed).toEqual([...REASON_CODES]);
  });
});
