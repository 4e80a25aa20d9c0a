const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Finds the offset of the first JSON syntax error (cold path, only after `JSON.parse` failed), so that the
 * error message can point at it without quoting the input. Iterative: deep nesting cannot overflow the stack.
 * Returns `text.length` when the text ends early, `undefined` when no error is found.
 */
export function jsonErrorPosition(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const closers: string[] = []; // `}` or `]` for each open object/array
  const ws = (): void => {
    while (i < n && ' \n\r\t'.includes(text[i]!)) i++;
  };
  /** A string at `i` (its opening quote); on failure `i` is at the bad character, or `n` when unterminated. */
  const str = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  /** An object key and its colon (whitespace around skipped). */
  const key = (): boolean => {
    ws();
    if (text[i] !== '"' || !str()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  let expectValue = true;
  for (;;) {
    ws();
    const c = text[i];
    if (expectValue) {
      if (i >= n) return n;
      if (c === '{' || c === '[') {
        closers.push(c === '{' ? '}' : ']');
        i++;
        ws();
        if (text[i] === closers[closers.length - 1]) {
          closers.pop();
          i++;
          expectValue = false;
        } else if (c === '{' && !key()) return i;
        continue;
      }
      if (c === '"') {
        if (!str()) return i;
      } else {
        const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
        NUMBER.lastIndex = i;
        if (literal) i += literal.length;
        else if (NUMBER.test(text)) i = NUMBER.lastIndex;
        else return i;
      }
      expectValue = false;
    } else if (closers.length === 0) {
      return i < n ? i : undefined;
    } else if (c === ',') {
      i++;
      if (closers[closers.length - 1] === '}' && !key()) return i;
      expectValue = true;
    } else if (c === closers[closers.length - 1]) {
      closers.pop();
      i++;
    } else return i;
  }
}
