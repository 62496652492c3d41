/**
 * The words of anything thrown: an Error's message, or the value itself as text
 * (a rejected string, a DOMException-like object, undefined).
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string')
    return (e as { message: string }).message;
  return String(e);
}
