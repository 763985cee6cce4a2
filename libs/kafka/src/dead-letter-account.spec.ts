import { accountOfLetter } from './dead-letter-account';

const ACCOUNT = '6f1c2d0e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const OTHER = '90cd1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('accountOfLetter names the account a dead letter belongs to', () => {
  it.each<[string, Buffer | string | null, unknown, string | null]>([
    ['the decoded value names it', null, { accountId: ACCOUNT }, ACCOUNT],
    ['the value wins over the key', Buffer.from(`${OTHER}:ana`), { accountId: ACCOUNT }, ACCOUNT],
    ['a contact key starts with it (undecodable bytes)', Buffer.from(`${ACCOUNT}:ana`), undefined, ACCOUNT],
    ["the value's account is no uuid, the key's is", `${ACCOUNT}:ana`, { accountId: 'not-a-uuid' }, ACCOUNT],
    ['upper-case ids are the same account', `${ACCOUNT.toUpperCase()}:ana`, null, ACCOUNT],
    ['neither names one', Buffer.from('one-lane'), { accountId: 42 }, null],
    ['a key that is an account id without a contact', ACCOUNT, undefined, null],
    ['no key and nothing decoded', null, undefined, null],
  ])('%s', (_case, key, decoded, expected) => {
    expect(accountOfLetter(key, decoded)).toBe(expected);
  });
});
