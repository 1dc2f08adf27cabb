/** What a person reads on the page: no scripts, styles, tags, attribute values or the contents of form fields. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|textarea|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\s+/g, ' ');
}
