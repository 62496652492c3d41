import { describe, expect, it } from 'vitest';
import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it('gives the message of an Error, a message-bearing object, or the value as text', () => {
    expect(errorMessage(new TypeError('t is not a function'))).toBe('t is not a function');
    expect(errorMessage({ name: 'QuotaExceededError', message: 'The quota has been exceeded.' })).toBe('The quota has been exceeded.');
    expect(errorMessage('plain words')).toBe('plain words');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(42)).toBe('42');
  });
});
