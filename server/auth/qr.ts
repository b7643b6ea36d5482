import qrcode from "qrcode-generator";

/** The quiet zone around the code, in modules: four is what the QR standard asks of readers. */
const QUIET_ZONE = 4;
/** The drawn size in CSS pixels: big enough for a phone's camera across a desk. */
const SIZE = 200;

/**
 * An SVG drawing of `text` as a QR code (error correction M), labelled `label` for screen
 * readers. The markup is inserted into pages as is, so nothing in it comes unescaped from input.
 */
export function qrSvg(text: string, label: string): string {
  const qr = qrcode(0, "M");
  // The library's byte mode takes one character per byte: hand it the UTF-8 bytes, so that any
  // text (an internationalised e-mail address, say) reads back as it was written.
  qr.addData(utf8AsBinaryString(text), "Byte");
  qr.make();
  const modules = qr.getModuleCount();
  const side = modules + 2 * QUIET_ZONE;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect width="${side}" height="${side}" fill="#fff"/>`,
    `<path fill="#000" d="${darkRuns(modules, (row, col) => qr.isDark(row, col))}"/>`,
    `</svg>`,
  ].join("");
}

// One rectangle per horizontal run of dark modules, all in one path: a few kilobytes rather than
// one element per module.
function darkRuns(modules: number, isDark: (row: number, col: number) => boolean): string {
  const parts: string[] = [];
  for (let row = 0; row < modules; row += 1) {
    let col = 0;
    while (col < modules) {
      if (!isDark(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules && isDark(row, col)) col += 1;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join("");
}

function utf8AsBinaryString(text: string): string {
  return Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join("");
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
