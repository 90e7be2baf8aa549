import { describe, expect, it } from 'vitest';
import { declaredType, nameOf, percentOf, sizeText, toBase64 } from './attachments.ts';

describe('attachments', () => {
  it("declares the system's type when the server takes it, else by extension, else octet-stream", () => {
    expect(declaredType('a.png', 'image/png')).toBe('image/png');
    expect(declaredType('notes.md', '')).toBe('text/markdown');
    expect(declaredType('report.PDF', 'application/x-unknown')).toBe('application/pdf');
    expect(declaredType('setup.exe', 'application/x-msdownload')).toBe('application/octet-stream');
    expect(declaredType('data.csv', 'text/csv; charset=utf-8')).toBe('text/csv');
  });

  it('names a pasted image', () => {
    expect(nameOf('image.png', 'image/png')).toBe('Pasted image.png');
    expect(nameOf('', 'image/jpeg')).toBe('Pasted image.jpg');
    expect(nameOf('holiday.png', 'image/png')).toBe('holiday.png');
  });

  it('encodes any size as base64', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 256);
    expect(atob(toBase64(bytes))).toBe(
      String.fromCharCode(...bytes.subarray(0, 50_000)) + String.fromCharCode(...bytes.subarray(50_000)),
    );
  });

  it('says sizes and progress the way people read them', () => {
    expect(sizeText(532)).toBe('532 B');
    expect(sizeText(14 * 1024 + 100)).toBe('14 KB');
    expect(sizeText(3.44 * 1024 * 1024)).toBe('3.4 MB');
    expect(percentOf(0, 10)).toBe(0);
    expect(percentOf(5, 10)).toBe(50);
    expect(percentOf(0, 0)).toBe(100);
  });
});
