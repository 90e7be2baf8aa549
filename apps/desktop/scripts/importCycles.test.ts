import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles } from './importCycles.ts';

const RENDERER = path.resolve(import.meta.dirname, '../src/renderer');

describe('import cycles', () => {
  it('the renderer has none (move the shared piece down to where both sides can import it)', () => {
    expect(importCycles(RENDERER)).toEqual([]);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cycles-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a circle made of a type-only import and a lazy import() among real files', () => {
    fs.mkdirSync(path.join(dir, 'store'));
    fs.mkdirSync(path.join(dir, 'call'));
    fs.writeFileSync(path.join(dir, 'store/app.ts'), "import type { Choices } from '../call/View.tsx';\n");
    fs.writeFileSync(path.join(dir, 'call/View.tsx'), "export const load = () => import('./Bar.tsx');\n");
    fs.writeFileSync(path.join(dir, 'call/Bar.tsx'), "import { useApp } from '../store/app.ts';\n");
    fs.writeFileSync(path.join(dir, 'leaf.ts'), "import './call/Bar.tsx';\nimport './styles.css';\n");
    expect(importCycles(dir)).toEqual(['call/Bar.tsx → store/app.ts → call/View.tsx → call/Bar.tsx']);
  });
});
