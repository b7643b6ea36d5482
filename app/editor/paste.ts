/**
 * Cleans HTML pasted from Word or a web page before the schema parses it: Word's conditional
 * comments, its list-bullet spans and XML namespaces, and style and script elements go. What is
 * left is parsed by the schema's rules, which keep only the structures and marks Accord knows.
 */
export function cleanPastedHtml(html: string): string {
  return (
    html
      // Word's conditional comments and ordinary comments.
      .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "")
      .replace(/<!--[\s\S]*?-->/g, "")
      // Elements whose content must never become text.
      .replace(/<(style|script|xml|meta|link|title|head)\b[\s\S]*?<\/\1>/gi, "")
      .replace(/<(meta|link)\b[^>]*>/gi, "")
      // The list numbers and bullets Word writes as text in spans marked mso-list:Ignore.
      .replace(/<span[^>]*mso-list:\s*Ignore[^>]*>[\s\S]*?<\/span>/gi, "")
      // Office namespaced elements (<o:p>, <w:sdt> …), keeping their content.
      .replace(/<\/?[a-z]+:[a-z]+\b[^>]*>/gi, "")
  );
}
