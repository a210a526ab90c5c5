/**
 * A small RFC 4180 reader for artifact previews: quoted fields, doubled quotes, CRLF, embedded
 * newlines. Stops after `maxRows` rows so a huge file costs what the preview shows. Pure.
 */
export function parseDelimited(
  text: string,
  delimiter = ',',
  maxRows = 1000,
): { rows: string[][]; truncated: boolean } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      if (rows.length >= maxRows) return { rows, truncated: i + 1 < text.length };
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return { rows, truncated: false };
}
