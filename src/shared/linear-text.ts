/**
 * String scans for text from outside (inputs, files, environment), written as loops so that their time is
 * linear in the text's length. The regular expressions they replace (`/\/+$/`, `/\s+#.*$/`,
 * `/[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s@]*)@/g`) are tried at every position of a long run that does not end
 * where they need, which is quadratic: a 120 KB input took 26.6 s to refuse.
 */

/** `text` without the run of `char` at its end (`/x+$/` for a one-character `x`). */
export function trimEndChar(text: string, char: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === char) end--
  return text.slice(0, end)
}

/** `text` without the run at its start and at its end of characters for which `drop` is true. */
export function trimWhere(text: string, drop: (char: string) => boolean): string {
  let start = 0
  let end = text.length
  while (start < end && drop(text[start])) start++
  while (end > start && drop(text[end - 1])) end--
  return text.slice(start, end)
}

/** JavaScript's `\s` (one UTF-16 unit). */
export function isSpace(char: string): boolean {
  switch (char) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
    case '\ufeff':
      return true
    default:
      return char >= '\u2000' && char <= '\u200a'
  }
}

function isLetter(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z')
}

function isSchemeChar(char: string): boolean {
  return isLetter(char) || (char >= '0' && char <= '9') || char === '+' || char === '.' || char === '-'
}

/**
 * Where each `scheme://userinfo@` of `text` has its user info: `start` is the first character after `://`,
 * `end` the index of the `@`. The matches of `/[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s@]*)@/g`, found in one pass:
 * the scheme runs and the user-info runs of different `://` do not overlap.
 */
export function userInfoSpans(text: string): { schemeStart: number; start: number; end: number }[] {
  const spans: { schemeStart: number; start: number; end: number }[] = []
  let from = 0
  for (let sep = text.indexOf('://', from); sep >= 0; sep = text.indexOf('://', Math.max(from, sep + 1))) {
    // The scheme: the run of scheme characters before `://` (not before the last match), from its first letter.
    let schemeStart = -1
    for (let i = sep - 1; i >= from && isSchemeChar(text[i]); i--) if (isLetter(text[i])) schemeStart = i
    if (schemeStart < 0) continue
    const start = sep + 3
    let end = start
    while (end < text.length && !'/?#@'.includes(text[end]) && !isSpace(text[end])) end++
    if (text[end] !== '@') continue
    spans.push({ schemeStart, start, end })
    from = end + 1
  }
  return spans
}
