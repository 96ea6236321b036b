import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PageAssets } from './html';

/** The media folder of the installed package: beside dist/ (bundled) or at the repository root (tests). */
export function mediaDir(from = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'media');
    if (existsSync(path.join(candidate, 'panel.css'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no media folder with panel.css above ${from}`);
    dir = parent;
  }
}

function read(media: string, ...parts: string[]): string {
  const file = path.join(media, ...parts);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  return readFileSync(file, 'utf8');
}

/** Codicons with the font inlined, so a saved page needs no other file. */
function inlineCodicons(media: string): string {
  const font = readFileSync(path.join(media, 'codicons', 'codicon.ttf')).toString('base64');
  return read(media, 'codicons', 'codicon.css').replace(/url\([^)]*codicon\.ttf[^)]*\)/g, `url("data:font/ttf;base64,${font}")`);
}

/** Everything inline: the page of `overview --html`, one file that opens anywhere. */
export function staticAssets(media = mediaDir()): PageAssets {
  return {
    nonce: randomBytes(16).toString('base64'),
    styles: [{ text: inlineCodicons(media) }, { text: read(media, 'panel.css') }],
    script: { text: read(media, 'build', 'panel.js') },
    fontSrc: 'data:',
  };
}
