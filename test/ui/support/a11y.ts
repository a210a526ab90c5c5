import type { Page } from 'playwright-core';

// The page-side checks are strings, not functions: a transform could add helpers the page lacks.

/** The accessible name of `el` as the checks below compute it (labelledby, aria-label, label, text, alt, title). */
const NAME_OF = `(el) => {
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    const t = by.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent.trim()).join(' ').trim();
    if (t) return t;
  }
  const aria = (el.getAttribute('aria-label') || '').trim();
  if (aria) return aria;
  if (el.labels && el.labels.length > 0) {
    const t = [...el.labels].map((l) => l.textContent.trim()).join(' ').trim();
    if (t) return t;
  }
  const isInput = el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA';
  if (!isInput) {
    const t = (el.textContent || '').trim();
    if (t) return t;
    const img = el.querySelector('img[alt]');
    if (img && img.alt.trim()) return img.alt.trim();
  }
  if (el.tagName === 'INPUT' && (el.type === 'submit' || el.type === 'button') && el.value) return el.value;
  return (el.getAttribute('title') || '').trim();
}`;

const VISIBLE = `(el) => {
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
}`;

/** Visible inputs, selects, textareas, buttons, tabs and links without an accessible name. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const nameOf = ${NAME_OF};
    const visible = ${VISIBLE};
    const controls = document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], [role=button], [role=tab], [role=combobox], [role=checkbox], [tabindex]:not([tabindex="-1"])');
    return [...controls].filter(visible).filter((el) => !nameOf(el)).map((el) => el.outerHTML.slice(0, 160));
  })()`) as Promise<string[]>;
}

export interface ContrastFailure {
  text: string;
  ratio: number;
  fg: string;
  bg: string;
  element: string;
}

/**
 * Every visible element that draws text (its own text nodes, or an input's value/placeholder-free
 * text) whose colour against its effective background is under `min`. The background is found by
 * walking up the ancestors, compositing translucent layers over the first opaque one; ancestor
 * opacity fades the text. Disabled controls are exempt (WCAG 1.4.3); SVG text is drawn with `fill`
 * and is left to the chart tests.
 */
export function contrastFailures(page: Page, min = 4.5): Promise<ContrastFailure[]> {
  return page.evaluate(`(() => {
    const visible = ${VISIBLE};
    const parse = (c) => {
      let m = /^rgba?\\(([^)]+)\\)$/.exec(c);
      if (m) {
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
      }
      m = /^color\\(srgb ([^)]+)\\)$/.exec(c);
      if (m) {
        const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
        return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
      }
      return null;
    };
    const over = (top, under) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let bg = [255, 255, 255, 1];
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
      return bg;
    };
    const lum = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const opacity = (el) => {
      let o = 1;
      for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('svg, canvas, script, style, noscript, option')) continue;
      const isField = el.matches('input:not([type=checkbox]):not([type=radio]):not([type=range]):not([type=color]):not([type=hidden]), select, textarea');
      const own = isField ? (el.value || '') : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (!own.trim()) continue;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden (screen-reader only) text
      if (el.closest(':disabled, [aria-disabled="true"]')) continue;
      const fgRaw = parse(getComputedStyle(el).color);
      if (!fgRaw) continue;
      const bg = background(el);
      const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacity(el)], bg);
      const value = ratio(fg, bg);
      if (value < ${min}) {
        out.push({
          text: own.trim().slice(0, 40),
          ratio: Math.round(value * 100) / 100,
          fg: getComputedStyle(el).color,
          bg: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')',
          element: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
        });
      }
    }
    return out;
  })()`) as Promise<ContrastFailure[]>;
}

/** Presses Tab up to `presses` times from the top of the page; the accessible names that took focus, in order. */
export async function tabOrder(page: Page, presses = 80): Promise<string[]> {
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
  const names: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    names.push(
      (await page.evaluate(
        `(() => { const el = document.activeElement; if (!el || el === document.body) return ''; return (${NAME_OF})(el); })()`,
      )) as string,
    );
  }
  return names;
}
