// Reading a .docx back in tests: it is a zip (fflate, which docx itself uses); the text a reader sees
// is in word/document.xml, split over runs (<w:t>).
import { strFromU8, unzipSync } from 'fflate';

export function unzipDocx(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** The document's text, paragraph by paragraph (runs joined, XML entities decoded). */
export function paragraphsOf(documentXml: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? '')).join(''))
    .filter((p) => p.length > 0);
}
