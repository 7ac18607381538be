/** Decode a URL path segment; a stray '%' stays literal instead of failing the request. */
export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
