/**
 * Contact ids from pasted text or an uploaded CSV: one id per line, or the `contactId` column of a CSV with a
 * header. Pure (unit-tested in test/unit/console/csv.spec.ts).
 */

export const MAX_BULK_CONTACTS = 10_000;
const MAX_ID_LENGTH = 200;
const HEADER_NAMES = new Set(['contactid', 'contact_id', 'contact id', 'contact']);

export interface ParsedContacts {
  contactIds: string[];
  /** Ids seen more than once (each sent once). */
  duplicates: number;
  /** Lines whose id is longer than the API accepts or holds control characters, with their line number. */
  invalid: Array<{ line: number; reason: string }>;
  /** Whether the first line was a header (and which column held the ids). */
  header: string | null;
}

/** One CSV line's fields (RFC 4180 quoting: "a,b" and "" for a quote inside). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quoted) {
      if (char === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.length === 0) quoted = true;
    else if (char === ',' || char === ';' || char === '\t') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseContactIds(text: string): ParsedContacts {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = csvFields(lines[0] ?? '');
  const headerColumn = first.findIndex((name) => HEADER_NAMES.has(name.toLowerCase()));
  const column = headerColumn >= 0 ? headerColumn : 0;
  const seen = new Set<string>();
  const result: ParsedContacts = {
    contactIds: [],
    duplicates: 0,
    invalid: [],
    header: headerColumn >= 0 ? (first[headerColumn] ?? null) : null,
  };
  lines.forEach((line, index) => {
    if (index === 0 && headerColumn >= 0) return;
    if (line.trim().length === 0) return;
    const id = csvFields(line)[column] ?? '';
    if (id.length === 0) result.invalid.push({ line: index + 1, reason: 'no contact id in this column' });
    else if (id.length > MAX_ID_LENGTH)
      result.invalid.push({ line: index + 1, reason: `longer than ${MAX_ID_LENGTH} characters` });
    else if (CONTROL.test(id)) result.invalid.push({ line: index + 1, reason: 'control characters' });
    else if (seen.has(id)) result.duplicates++;
    else {
      seen.add(id);
      result.contactIds.push(id);
    }
  });
  return result;
}
