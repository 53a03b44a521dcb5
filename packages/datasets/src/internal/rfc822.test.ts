import { describe, expect, it } from 'vitest';
import { parseMessage } from './rfc822.js';

describe('parseMessage', () => {
  it('separates the mbox envelope, the fields and the body at the first blank line', () => {
    const text =
      'From a@b.c  Thu Aug 22 13:17:22 2002\nReturn-Path: <a@b.c>\nSubject: Hello\n\nBody line 1\n\nBody line 3\n';
    const m = parseMessage(text);
    expect(m.envelope).toBe('From a@b.c  Thu Aug 22 13:17:22 2002');
    expect(m.fields).toEqual([
      { name: 'Return-Path', value: '<a@b.c>' },
      { name: 'Subject', value: 'Hello' },
    ]);
    expect(m.body).toBe('Body line 1\n\nBody line 3\n');
  });

  it('unfolds continuation lines (RFC 822 §3.1.1) and trims blanks around values', () => {
    const m = parseMessage('Received: from x\n\tby y\n  for z  \nTo:   me \n\nhi');
    expect(m.envelope).toBeNull();
    expect(m.fields).toEqual([
      { name: 'Received', value: 'from x\tby y  for z' },
      { name: 'To', value: 'me' },
    ]);
    expect(m.body).toBe('hi');
  });

  it('handles CRLF line ends and keeps the body byte for byte', () => {
    const m = parseMessage('Subject: a\r\nX-Y: b\r\n\r\nline\r\nline2');
    expect(m.fields.map((f) => f.name)).toEqual(['Subject', 'X-Y']);
    expect(m.fields[0]?.value).toBe('a');
    expect(m.body).toBe('line\r\nline2');
  });

  it('treats a message without a blank line as all header, empty body', () => {
    const m = parseMessage('Subject: only headers\nFrom: x');
    expect(m.fields).toHaveLength(2);
    expect(m.body).toBe('');
  });

  it('does not take a colon inside the body or a malformed line for a field', () => {
    const m = parseMessage('Subject: s\nnot a header line\n\nTime: 10:30\n');
    expect(m.fields).toEqual([{ name: 'Subject', value: 's' }]);
    expect(m.body).toBe('Time: 10:30\n');
  });

  it('takes a whitespace-only line for a continuation, not the blank separator', () => {
    // A line holding only a space is a continuation, not the blank separator.
    const m = parseMessage('Subject: a\n \nX: b\n\nbody');
    expect(m.fields).toEqual([
      { name: 'Subject', value: 'a' },
      { name: 'X', value: 'b' },
    ]);
    expect(m.body).toBe('body');
  });
});
