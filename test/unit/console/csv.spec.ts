import { csvFields, parseContactIds } from '../../../console/src/csv';

describe("the console's contact ids from pasted text or a CSV file", () => {
  it('reads one id per line, trimmed, skipping blank lines and dropping repeats', () => {
    expect(parseContactIds(' ana \n\nbob\r\nana\rcarla\n')).toEqual({
      contactIds: ['ana', 'bob', 'carla'],
      duplicates: 1,
      invalid: [],
      header: null,
    });
  });

  it('takes the contactId column of a CSV with a header, wherever it is', () => {
    const parsed = parseContactIds('\uFEFFname,contact_id,plan\n"Ana, Jr.",ana,pro\nBob,bob,free\n');
    expect(parsed.header).toBe('contact_id');
    expect(parsed.contactIds).toEqual(['ana', 'bob']);
  });

  it('without a header, takes the first column', () => {
    expect(parseContactIds('ana,Ana\nbob;Bob\ncarla\tCarla').contactIds).toEqual(['ana', 'bob', 'carla']);
  });

  it('names the lines it skips: an empty column, an id too long, control characters', () => {
    const parsed = parseContactIds(`contactId,name\n,nobody\n${'x'.repeat(201)}\nok\nbad\u0007id`);
    expect(parsed.contactIds).toEqual(['ok']);
    expect(parsed.invalid).toEqual([
      { line: 2, reason: 'no contact id in this column' },
      { line: 3, reason: 'longer than 200 characters' },
      { line: 5, reason: 'control characters' },
    ]);
  });

  it('unquotes RFC 4180 fields, doubled quotes included', () => {
    expect(csvFields('"a ""quoted"" id", b ,"c,d"')).toEqual(['a "quoted" id', 'b', 'c,d']);
  });
});
