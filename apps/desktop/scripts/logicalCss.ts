import fs from 'node:fs';
import path from 'node:path';

/** Declarations that do not mirror in a right-to-left locale, and what to write instead. */
const PHYSICAL: readonly { readonly pattern: RegExp; readonly instead: string }[] = [
  { pattern: /(^|[\s;{])(margin|padding|border)-(left|right)(-[a-z]+)?\s*:/, instead: '-inline-start / -inline-end' },
  { pattern: /(^|[\s;{])(left|right)\s*:/, instead: 'inset-inline-start / inset-inline-end' },
  { pattern: /text-align\s*:\s*(left|right)\b/, instead: 'text-align: start / end' },
  { pattern: /float\s*:\s*(left|right)\b/, instead: 'float: inline-start / inline-end' },
  { pattern: /border-(top|bottom)-(left|right)-radius\s*:/, instead: 'border-start-start-radius and the like' },
];
/** A declaration that must stay physical says why on its line. */
const ALLOWED = /\/\* physical: .+\*\//;

/**
 * Every physical left/right declaration in the CSS under `root`, as `file:line: text (use …)`.
 * The renderer lays out with logical properties, so `dir="rtl"` mirrors every screen.
 */
export function physicalDeclarations(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.css')) {
        fs.readFileSync(full, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (ALLOWED.test(line)) return;
            const rule = PHYSICAL.find((p) => p.pattern.test(line));
            if (rule !== undefined)
              found.push(`${path.relative(root, full)}:${i + 1}: ${line.trim()} (use ${rule.instead})`);
          });
      }
    }
  };
  walk(root);
  return found.sort();
}
