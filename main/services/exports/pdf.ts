/**
 * Documents for a person to read, as PDF, made with pdfkit: it lays text out itself (wrapping,
 * page breaks), ships the standard PDF fonts, and is actively maintained. (pdf-lib was the other
 * candidate; it draws text only where told, so every line break and page break would be ours.)
 *
 * The standard fonts encode WinAnsi (Latin-1 and a few more): a character outside it is printed
 * as "?" rather than as a wrong glyph. A document holds only what the caller passes in, which
 * the caller has already passed through field visibility.
 */
import PDFDocument from 'pdfkit';

/** WinAnsi's characters beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text as the standard fonts can print it: control characters as spaces, others as "?". */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (c < 0x20 || c === 0x7f) out += ' ';
    else out += '?';
  }
  return out;
}

/** A document being written: headings, paragraphs and labelled entries, in reading order. */
export class PdfWriter {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  title(text: string): this {
    this.doc.font('Helvetica-Bold').fontSize(18).text(pdfText(text)).moveDown(0.4);
    return this;
  }

  heading(text: string): this {
    // A heading never sits alone at the foot of a page.
    if (this.doc.y > this.doc.page.height - this.doc.page.margins.bottom - 90) this.doc.addPage();
    this.doc.font('Helvetica-Bold').fontSize(12).text(pdfText(text)).moveDown(0.2);
    return this;
  }

  paragraph(text: string, size = 10): this {
    this.doc.font('Helvetica').fontSize(size).text(pdfText(text)).moveDown(0.5);
    return this;
  }

  /** "Label: value" lines, the label in bold. */
  entries(pairs: readonly (readonly [string, string])[]): this {
    for (const [label, value] of pairs) {
      this.doc
        .fontSize(10)
        .font('Helvetica-Bold')
        .text(`${pdfText(label)}: `, { continued: true })
        .font('Helvetica')
        .text(pdfText(value));
    }
    this.doc.moveDown(0.6);
    return this;
  }
}

/** Lays out a document and answers its bytes; every page is numbered "Page n of m". */
export async function renderPdf(
  info: { title: string; footer: string },
  draw: (pdf: PdfWriter) => void | Promise<void>,
): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    bufferPages: true,
    info: { Title: pdfText(info.title), Creator: 'Custodian', Producer: 'Custodian' },
  });
  const parts: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  try {
    await draw(new PdfWriter(doc));
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const bottom = doc.page.height - doc.page.margins.bottom + 16;
      // Written inside the bottom margin: lift it for the footer, so no page is added.
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font('Helvetica')
        .fontSize(8)
        .text(
          `${pdfText(info.footer)} - Page ${i + 1} of ${range.count}`,
          doc.page.margins.left,
          bottom,
          {
            width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
            align: 'center',
            lineBreak: false,
          },
        );
      doc.page.margins.bottom = margin;
    }
  } finally {
    doc.end();
  }
  return done;
}
