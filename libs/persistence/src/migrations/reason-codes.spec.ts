import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_CODES } from '@cadence/domain';

describe('the database knows the same reason codes as the domain', () => {
  it("enrollment_decisions.reason's CHECK lists exactly REASON_CODES", () => {
    const sql = readFileSync(join(__dirname, '1764000000000-initial-schema.ts'), 'utf8');
    const check = /reason text NOT NULL CHECK \(reason IN \(([^)]*)\)\)/.exec(sql);
    expect(check).not.toBeNull();
    const listed = check![1]!.split(',').map((code) => code.trim().replace(/^'|'$/g, ''));
    expect(listed).toEqual([...REASON_CODES]);
  });
});
