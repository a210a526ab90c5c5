import type { Page } from 'playwright-core';

/**
 * WCAG contrast ratio of each element matching `selector` (its computed text colour against the
 * first non-transparent background at or above it), in the page's current theme.
 */
export function contrastOf(page: Page, selector: string): Promise<{ what: string; ratio: number }[]> {
  return page.evaluate((sel) => {
    const rgb = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const bg = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    return [...document.querySelectorAll(sel)].map((el) => {
      const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg(el)))].sort((x, y) => y - x);
      return { what: `${el.tagName}.${el.className}`, ratio: (a + 0.05) / (b + 0.05) };
    });
  }, selector);
}

/** Sets the theme the way the toggle does (the `data-theme` attribute on `<html>`). */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
}
