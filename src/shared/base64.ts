/** Bytes to base64 and back, for the files the app reads and writes (digit shapes, the ink check, your digits). */

/** Base64 of `bytes`, in chunks so a large array does not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes that base64 `text` decodes to, counted without decoding it; null when it is not base64 (as atob would say). */
export function base64Bytes(text: string): number | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const digits = text.length - padding;
  if ((padding && text.length % 4 !== 0) || digits % 4 === 1) return null;
  return Math.floor((digits * 6) / 8);
}

/** The bytes of base64 `text`, or null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (base64Bytes(text) === null) return null;
  try {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
