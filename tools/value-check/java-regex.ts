/**
 * AWS's API models (botocore's `service-2.json`, converted from the services' Smithy models) carry
 * `pattern` constraints written for the services' Java validators: `\p{XDigit}`, `\p{Print}`,
 * `(?i)` at the start, `[\w-_]` (a hyphen after a class escape is literal in Java, a syntax error
 * in JavaScript's `u` mode), `$` matching before a final line terminator. This module translates
 * such a pattern into a JavaScript RegExp with the same meaning, and refuses (throws) the Java
 * constructs it cannot translate faithfully (possessive quantifiers, atomic groups, class
 * intersection and nested classes, inline flags other than a leading one) so that a model gaining
 * one fails the extract instead of being checked wrongly.
 *
 * Java semantics: https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/regex/Pattern.html
 * Smithy `pattern` (not implicitly anchored, so values are searched, not whole-matched):
 * https://smithy.io/2.0/spec/constraint-traits.html#pattern-trait
 */

/** Java's POSIX classes (US-ASCII only, as Java has them without UNICODE_CHARACTER_CLASS), as class contents. */
const POSIX: Readonly<Record<string, string>> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: "\\x20-\\x7E",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: " \\t\\n\\x0B\\f\\r",
};

/** Unicode general categories JavaScript's `\p{...}` accepts under the same names. */
const CATEGORY = /^(?:Is)?(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/;

/** Java's `\s` (without UNICODE_CHARACTER_CLASS): JavaScript's `\s` also admits Unicode spaces. */
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";

/** What Java's `\\S` admits beyond JavaScript's: the Unicode spaces JavaScript's `\\s` includes and Java's does not. */
const JAVA_NON_SPACE_EXTRA = "\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

/** Java's `$` without MULTILINE: the end of input, or before a final line terminator (a group, so Java's `${1,128}` stays valid). */
const JAVA_END = "(?:(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$))";

/** Java property names JavaScript spells differently. */
const RENAMED_PROPERTY: Readonly<Record<string, string>> = {
  IsAlphabetic: "Alphabetic",
  IsWhitespace: "White_Space",
  IsWhite_Space: "White_Space",
};

function codePointEscape(ch: string): string {
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

/** The JavaScript source and flags for a Java pattern; throws on what it cannot translate. */
export function translateJavaPattern(pattern: string): { source: string; flags: string } {
  let flags = "u";
  let src = pattern;
  const lead = /^\(\?([is]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  const fail = (why: string, at: number): never => {
    throw new Error(`Java pattern ${JSON.stringify(pattern)}: ${why} at ${at}: not translatable to JavaScript`);
  };
  let out = "";
  let inClass = false;
  let classStart = false;
  /** The previous class item was a class escape (`\w`, `\d`, `\p{..}`): a following `-` is literal in Java. */
  let prevClassEscape = false;
  /** The previous token was a quantifier: a following `+` makes it possessive. */
  let prevQuantifier = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) fail("trailing backslash", i);
      i++;
      let classEscape = false;
      if (n === "p" || n === "P") {
        const m = /^\{(\^?)([A-Za-z_]+)\}/.exec(src.slice(i + 1));
        if (!m) fail("\\p without {Name}", i);
        i += m![0].length;
        const negated = (n === "P") !== (m![1] === "^");
        const name = m![2];
        if (POSIX[name] !== undefined) {
          if (inClass) {
            if (negated) fail("negated POSIX class inside a class", i);
            out += POSIX[name];
          } else {
            out += `[${negated ? "^" : ""}${POSIX[name]}]`;
          }
        } else if (RENAMED_PROPERTY[name] !== undefined) {
          out += `\\${negated ? "P" : "p"}{${RENAMED_PROPERTY[name]}}`;
        } else if (CATEGORY.test(name)) {
          out += `\\${negated ? "P" : "p"}{${name.replace(/^Is/, "")}}`;
        } else {
          fail(`property \\p{${name}}`, i);
        }
        classEscape = true;
      } else if (n === "Q") {
        const end = src.indexOf("\\E", i + 1);
        const quoted = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        for (const ch of quoted) out += codePointEscape(ch);
        i = end < 0 ? src.length : end + 1;
      } else if (n === "A" || n === "z" || n === "Z") {
        if (inClass) fail(`\\${n} inside a class`, i);
        out += n === "A" ? "^" : n === "z" ? "$" : JAVA_END;
      } else if (n === "s") {
        out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
        classEscape = true;
      } else if (n === "S") {
        out += inClass ? `\\S${JAVA_NON_SPACE_EXTRA}` : `[\\S${JAVA_NON_SPACE_EXTRA}]`;
        classEscape = true;
      } else if ("wWdDbBtnrf".includes(n)) {
        out += `\\${n}`;
        classEscape = "wWdD".includes(n);
      } else if (n === "e") {
        out += "\\x1B";
      } else if (n === "a") {
        out += "\\x07";
      } else if (n === "u") {
        const hex = src.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("\\u without four hex digits", i);
        out += `\\u${hex}`;
        i += 4;
      } else if (n === "x") {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(src.slice(i + 1));
        if (braced) {
          out += `\\u{${braced[1]}}`;
          i += braced[0].length;
        } else {
          const hex = src.slice(i + 1, i + 3);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail("\\x without two hex digits", i);
          out += `\\x${hex}`;
          i += 2;
        }
      } else if (n === "0") {
        const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1));
        if (!oct) fail("\\0 without octal digits", i);
        out += `\\u{${parseInt(oct![0], 8).toString(16)}}`;
        i += oct![0].length;
      } else if (/[1-9]/.test(n) && !inClass) {
        out += `\\${n}`;
      } else if (/[A-Za-z0-9]/.test(n)) {
        fail(`escape \\${n}`, i);
      } else {
        // An escaped symbol is that symbol in Java; JavaScript's u mode refuses most identity escapes.
        out += codePointEscape(n);
      }
      prevClassEscape = inClass && classEscape;
      prevQuantifier = false;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === "[") fail("nested character class (Java union)", i);
      if (c === "&" && src[i + 1] === "&") fail("character class intersection", i);
      if (c === "]" && !classStart) {
        inClass = false;
        out += "]";
      } else if (c === "]") {
        fail("empty class or leading ]", i);
      } else if (c === "-" && src[i + 1] !== "]" && !classStart && (prevClassEscape || /^\\[wWdDsSpP]/.test(src.slice(i + 1)))) {
        out += "\\-";
      } else {
        out += c;
      }
      classStart = false;
      prevClassEscape = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      classStart = true;
      out += "[";
      if (src[i + 1] === "^") {
        out += "^";
        i++;
      }
      prevQuantifier = false;
      continue;
    }
    if (c === "+" && prevQuantifier) fail("possessive quantifier", i);
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith(">")) fail("atomic group", i);
      if (!/^(?::|=|!|<=|<!|<[A-Za-z])/.test(rest)) fail("inline flag group", i);
    }
    if (c === "{") {
      // A quantifier is copied; any other brace is a literal in Java, a syntax error in JavaScript's u mode.
      const q = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i));
      if (q) {
        out += q[0];
        i += q[0].length - 1;
        prevQuantifier = true;
      } else {
        out += "\\{";
        prevQuantifier = false;
      }
      continue;
    }
    if (c === "}") {
      out += "\\}";
      prevQuantifier = false;
      continue;
    }
    if (c === "$") {
      out += JAVA_END;
      prevQuantifier = false;
      continue;
    }
    const quantifier = c === "*" || c === "+" || c === "?";
    // `(?` is a group, not a quantifier; `x??` is lazy, and `x?+` possessive.
    prevQuantifier = quantifier && !(c === "?" && src[i - 1] === "(");
    if (c === "?" && src[i - 1] !== "(" && /[*+?}]/.test(src[i - 1] ?? "")) prevQuantifier = false;
    out += c;
  }
  if (inClass) fail("unterminated class", src.length);
  return { source: out, flags };
}

const compiled = new Map<string, RegExp>();

/** The JavaScript RegExp of a Java pattern (cached). */
export function javaPattern(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const { source, flags } = translateJavaPattern(pattern);
    re = new RegExp(source, flags);
    compiled.set(pattern, re);
  }
  return re;
}
