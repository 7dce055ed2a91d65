/**
 * The text of a PDF as a reader gets it, read back with Mozilla's pdf.js: one string per page,
 * its text items joined by single spaces.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** pdf.js's metrics of the standard fonts, which a PDF with unembedded fonts uses. */
const standardFontDataUrl = `${path.join(
  path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
)}/`;

export async function pdfPages(file: string): Promise<string[]> {
  const data = new Uint8Array(fs.readFileSync(file));
  const doc = await getDocument({
    data,
    standardFontDataUrl,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
      pages.push(text.replace(/\s+/g, ' ').trim());
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/**
 * Each page of a PDF as a PNG beside the screenshots (`<name>-page<N>.png`), drawn by poppler's
 * pdftoppm, for a person to look at the document as a customer would get it. Answers the files
 * written; where pdftoppm is missing it says why and answers none.
 */
export function pdfPageImages(file: string, outDir: string, name: string): string[] {
  const ours = (f: string) => f.startsWith(`${name}-page`) && f.endsWith('.png');
  fs.mkdirSync(outDir, { recursive: true });
  // An earlier run's pages go first, so the count is this document's.
  for (const f of fs.readdirSync(outDir).filter(ours)) fs.rmSync(path.join(outDir, f));
  const run = spawnSync('pdftoppm', ['-png', '-r', '72', file, path.join(outDir, `${name}-page`)], {
    encoding: 'utf8',
  });
  if (run.error) {
    console.log(`[pdf] ${name}: pages not drawn as PNG (pdftoppm: ${run.error.message})`);
    return [];
  }
  if (run.status !== 0) throw new Error(`pdftoppm failed on ${name}: ${run.stderr}`);
  return fs
    .readdirSync(outDir)
    .filter(ours)
    .map((f) => path.join(outDir, f));
}
