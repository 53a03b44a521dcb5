/** One header field, unfolded. */
export interface HeaderField {
  /** The field name as written (`Subject`). */
  name: string;
  /** The value with folding undone and leading and trailing blanks removed. */
  value: string;
}

/** A mail message split into its parts. */
export interface ParsedMessage {
  /** The mbox envelope line (`From sender date`) when the message starts with one. */
  envelope: string | null;
  /** The header fields, in order. */
  fields: HeaderField[];
  /** Everything after the first blank line; `''` when there is none. */
  body: string;
}

// RFC 822 §3.2: field-name = 1*<any CHAR, excluding CTLs, SPACE, and ":">.
const FIELD = /^([!-9;-~]+)[ \t]*:(.*)$/;

/**
 * Splits an RFC 822 message into envelope, header fields and body.
 *
 * - An optional first line `From ...` (the mbox envelope, no colon after the name) is not
 *   a header field and is returned apart.
 * - The header block runs to the first empty line (`\n\n` or `\r\n\r\n`); the body is
 *   everything after that line, byte for byte. Without an empty line the whole message is
 *   header and the body is `''` (RFC 822 §3.1: the body is optional).
 * - A line starting with a space or tab continues the previous field (folding, §3.1.1):
 *   the line break is removed and the blanks kept. A line that is neither a field nor a
 *   continuation (malformed mail) is skipped.
 */
export function parseMessage(text: string): ParsedMessage {
  let pos = 0;
  let envelope: string | null = null;
  const fields: HeaderField[] = [];
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    let end = text.indexOf('\n', pos);
    const after = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    const line = text.slice(pos, end > pos && text[end - 1] === '\r' ? end - 1 : end);
    pos = after;
    return line;
  };
  const done = (body: string): ParsedMessage => {
    for (const field of fields) field.value = field.value.replace(/[ \t]+$/, '');
    return { envelope, fields, body };
  };
  if (text.startsWith('From ')) envelope = nextLine();
  for (let line = nextLine(); line !== null; line = nextLine()) {
    if (line === '') return done(text.slice(pos));
    const last = fields[fields.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
      last.value += line;
      continue;
    }
    const m = FIELD.exec(line);
    if (m) fields.push({ name: m[1] as string, value: (m[2] as string).replace(/^[ \t]+/, '') });
  }
  return done('');
}
