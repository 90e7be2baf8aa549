import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rules axe-core checks automatically (contrast, names, roles, structure). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's findings on what the page shows now, one line per rule and element, so a failing
 * test names what to fix. The engine is evaluated through the driver, not added as a <script>:
 * the renderer's Content-Security-Policy stays as shipped.
 */
export async function accessibilityViolations(
  page: Page,
  /** Only what is inside this selector (our part of someone else's page), else the whole page. */
  within?: string,
): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(axe.source);
  const results = await page.evaluate(
    async ({ tags, scope }) => {
      const engine = (window as unknown as { axe: typeof axe }).axe;
      const context = scope === undefined ? document : { include: [[scope]] };
      const run = await engine.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return run.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        targets: v.nodes.map(
          (n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`,
        ),
      }));
    },
    { tags: WCAG_AA, scope: within },
  );
  return results.flatMap((v) => v.targets.map((t) => `${v.impact} ${v.id}: ${v.help} — ${t}`));
}

/** True when the page scrolls sideways: content wider than the window. */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth > window.innerWidth + 1;
  });
}
