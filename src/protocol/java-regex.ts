// Translates the Java regular expressions of the KMS model into JS RegExps with Java `matches()` semantics.

/**
 * Java regex → JS RegExp with Java `matches()` semantics (the whole string must match). Only the subset the
 * KMS model uses is translated (`\s` and `.` differ between the two); anything else unusual fails at startup.
 */
export function javaPatternToRegExp(pattern: string): RegExp {
  const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';
  let src = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new Error(`pattern ${pattern}: trailing backslash`);
      i++;
      if (n === 's') src += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (n === 'S' && !inClass) src += `[^${JAVA_SPACE}]`;
      else if ('dDwW'.includes(n) || !/[A-Za-z]/.test(n)) src += `\\${n}`;
      else if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(pattern.slice(i + 1, i + 5))) {
        src += `\\u${pattern.slice(i + 1, i + 5)}`;
        i += 4;
      } else if ('tnrf'.includes(n)) src += `\\${n}`;
      else throw new Error(`pattern ${pattern}: unsupported escape \\${n}`);
    } else if (inClass) {
      if (c === '[' || (c === '&' && pattern[i + 1] === '&')) throw new Error(`pattern ${pattern}: nested class`);
      if (c === ']') inClass = false;
      src += c;
    } else if (c === '[') {
      inClass = true;
      src += c;
      if (pattern[i + 1] === '^') src += pattern[++i];
      if (pattern[i + 1] === ']') src += `\\${pattern[++i]}`; // Java allows a literal ] first in a class
    } else if (c === '.') {
      src += '[^\\n\\r\\u0085\\u2028\\u2029]';
    } else if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      throw new Error(`pattern ${pattern}: possessive quantifier`);
    } else if (c === '(' && pattern.startsWith('?>', i + 1)) {
      throw new Error(`pattern ${pattern}: atomic group`);
    } else {
      src += c;
    }
  }
  return new RegExp(`^(?:${src})$`);
}
