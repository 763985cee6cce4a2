import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS } from '@cadence/domain';

describe('the database knows the same audit actions as the domain', () => {
  it("the newest migration's account_audit CHECK lists exactly AUDIT_ACTIONS", () => {
    const migration = readFileSync(join(__dirname, '1764001200000-replay-started-audit.ts'), 'utf8');
    const listed = [
      ...(/const ACTIONS = \[([^\]]*)\]/.exec(migration)?.[1] ?? '').matchAll(/'([^']+)'/g),
    ].map((match) => match[1]);
    expect(listed).toEqual([...AUDIT_ACTIONS]);
  });
});
