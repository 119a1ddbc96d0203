// HTML escaping for the webview's markup (text and attribute values alike).
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
