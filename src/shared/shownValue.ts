/**
 * A value read from an outside file, as a few words for the sentence that refuses it. Never throws:
 * `String(v)` does for an object whose own `toString` is not a function (`{"toString":1}` parses to
 * one; found by fuzzing), and the text of a long value is cut, so a refusal stays one short line.
 */
export function shownValue(value: unknown, max = 40): string {
  let text: string;
  if (value === undefined || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      text = Object.prototype.toString.call(value); // e.g. a cycle
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
