/// <reference lib="dom" />
import type { Frame, FrameLocator, Page } from 'playwright-core';

/** Steps a person takes in the VS Code workbench, as ../shared/docs/real-editor-testing.md found them to work. */

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
}

async function pickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Quick Open (Ctrl+P) a file by name, and wait until the editor shows a line of it. */
export async function quickOpen(page: Page, fileName: string, lineText: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget:visible input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await pickRow(page, fileName);
  await waitForLine(page, lineText);
}

/** Runs a command from the Command Palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget:visible input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await pickRow(page, title);
}

/** Types into an open quick pick (after a command opened one) and accepts the row showing `rowText`. */
export async function chooseInQuickPick(page: Page, filter: string, rowText: string): Promise<void> {
  const input = page.locator('.quick-input-widget:visible input');
  await input.waitFor({ state: 'visible' });
  await input.fill(filter);
  await pickRow(page, rowText);
}

/** Waits for the extension's status bar item to show an indexed catalog ("1,918 rules"), and returns its text. */
export async function waitForCatalog(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: /^\s*[\d,]+ rules/ }).first();
  await item.waitFor({ state: 'visible', timeout: 120_000 });
  return item.innerText();
}

export async function waitForLine(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll('.editor-instance .view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(t)), text, { timeout: 30_000 });
}

/**
 * The on-screen centre of the first characters of `text` in the editor. The grammar splits a token
 * such as `Image|endswith` into several spans (and spaces are non-breaking), so the box comes from a
 * DOM Range over the text nodes, not from one element.
 */
export async function textBox(page: Page, text: string, chars = 3): Promise<{ x: number; y: number }> {
  const box = await page.evaluate(({ text, chars }) => {
    for (const line of document.querySelectorAll('.editor-instance .view-line')) {
      const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = content.indexOf(text);
      if (at < 0) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let offset = 0;
      const range = document.createRange();
      let started = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (!started && at < offset + length) {
          range.setStart(node, at - offset);
          started = true;
        }
        if (started && at + chars <= offset + length) {
          range.setEnd(node, at + chars - offset);
          const rect = range.getBoundingClientRect();
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
        }
        offset += length;
      }
    }
    return undefined;
  }, { text, chars });
  if (!box) throw new Error(`'${text}' is not on screen`);
  return box;
}

/** Moves the mouse onto the text in a few steps and returns the hover's text once it shows `expect`. */
export async function hoverText(page: Page, text: string, expect: RegExp): Promise<string> {
  const deadline = Date.now() + 45_000;
  let last = '';
  while (Date.now() < deadline) {
    const { x, y } = await textBox(page, text);
    await page.mouse.move(x - 40, y + 30);
    await page.mouse.move(x, y, { steps: 5 });
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      last = await hover.innerText();
      if (expect.test(last)) return last;
    } catch (error) {
      void error; // no hover yet: the catalog may still be indexing; move away and try again
    }
    await page.mouse.move(5, 5);
    await page.waitForTimeout(1000);
  }
  throw new Error(`no hover matching ${String(expect)} on '${text}'; last: ${last}`);
}

/** Puts the cursor on the text (a click), as a person would before asking for quick fixes. */
export async function clickText(page: Page, text: string): Promise<void> {
  const { x, y } = await textBox(page, text, 1);
  await page.mouse.click(x, y);
}

/**
 * In the light bulb's menu (open), moves the keyboard focus down to the first action whose label
 * matches, takes a screenshot when given a path, and applies it with Enter, as a person would.
 */
export async function chooseAction(page: Page, label: RegExp, screenshot?: string): Promise<string> {
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  await focused.waitFor({ state: 'visible', timeout: 30_000 });
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    const text = (await focused.getAttribute('aria-label')) ?? '';
    if (label.test(text)) {
      if (screenshot) await page.screenshot({ path: screenshot });
      await page.keyboard.press('Enter');
      return text;
    }
    seen.push(text);
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no action matching ${String(label)}; saw: ${seen.join(' | ')}`);
}

/** The webview's content frame: the workbench's iframe holds the page in its own #active-frame. */
export function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export type { Frame };
