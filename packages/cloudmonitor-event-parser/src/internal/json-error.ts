/**
 * Finds the offset of the first JSON syntax error (cold path, only after `JSON.parse` failed), so that the
 * error message can point at it without quoting the input. Iterative: deep nesting cannot overflow the stack.
 * Returns `text.length` when the text ends early, `undefined` when no error is found.
 */
export function jsonErrorPosition(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const stack: number[] = []; // 0 = array, 1 = object
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
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
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): boolean => {
    const c = text[i];
    if (c === '"') return str();
    // `{` and `[` never get here: the main loop handles them.
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return true;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return true;
    }
    return false;
  };
  ws();
  for (;;) {
    if (i >= n) return n;
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? 1 : 0);
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else if (c === '{') {
        if (text[i] !== '"' || !str()) return Math.min(i, n);
        ws();
        if (text[i] !== ':') return Math.min(i, n);
        i++;
        ws();
        continue;
      } else continue;
    } else if (!value()) return Math.min(i, n);
    // after a value: separators and closers
    for (;;) {
      ws();
      if (stack.length === 0) {
        return i < n ? i : undefined;
      }
      const top = stack[stack.length - 1];
      const d = text[i];
      if (d === ',') {
        i++;
        ws();
        if (top === 1) {
          if (text[i] !== '"' || !str()) return Math.min(i, n);
          ws();
          if (text[i] !== ':') return Math.min(i, n);
          i++;
          ws();
        }
        break;
      }
      if ((d === '}' && top === 1) || (d === ']' && top === 0)) {
        stack.pop();
        i++;
        continue;
      }
      return Math.min(i, n);
    }
  }
}
