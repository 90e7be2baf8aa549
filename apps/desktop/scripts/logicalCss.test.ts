import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { physicalDeclarations } from './logicalCss.ts';

const RENDERER = path.resolve(import.meta.dirname, '../src/renderer');

describe('right-to-left layout: the renderer’s CSS uses logical properties', () => {
  it('has no physical left/right declaration, except those that say why', () => {
    expect(physicalDeclarations(RENDERER)).toEqual([]);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logical-css-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds margins, insets, text alignment and borders that would not mirror', () => {
    fs.writeFileSync(
      path.join(dir, 'a.css'),
      [
        '.a { margin-left: 4px; }',
        '.b {',
        '  right: 0;',
        '  text-align: left;',
        '  border-right-width: 2px;',
        '  margin-inline-start: 4px;',
        '  left: 50%; /* physical: centred */',
        '}',
      ].join('\n'),
    );
    expect(physicalDeclarations(dir)).toEqual([
      'a.css:1: .a { margin-left: 4px; } (use -inline-start / -inline-end)',
      'a.css:3: right: 0; (use inset-inline-start / inset-inline-end)',
      'a.css:4: text-align: left; (use text-align: start / end)',
      'a.css:5: border-right-width: 2px; (use -inline-start / -inline-end)',
    ]);
  });
});
