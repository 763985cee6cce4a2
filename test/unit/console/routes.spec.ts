import { href, parseHash } from '../../../console/src/routes';

describe("the console's hash routes", () => {
  it('reads the path segments and the params of a hash', () => {
    const route = parseHash('#/enrollments/90cd?state=active&contactId=ana%20b');
    expect(route.path).toEqual(['enrollments', '90cd']);
    expect(route.params.get('state')).toBe('active');
    expect(route.params.get('contactId')).toBe('ana b');
  });

  it('treats an empty hash as the root', () => {
    expect(parseHash('').path).toEqual([]);
    expect(parseHash('#/').path).toEqual([]);
  });

  it('writes links that read back the same, leaving empty params out', () => {
    const link = href(['dead-letters'], {
      topic: 'cadence.enrollment-commands.dlq',
      cursor: '',
      limit: null,
    });
    expect(link).toBe('#/dead-letters?topic=cadence.enrollment-commands.dlq');
    const route = parseHash(href(['sequences', 'a/b'], { version: 2 }));
    expect(route.path).toEqual(['sequences', 'a/b']);
    expect(route.params.get('version')).toBe('2');
  });
});
