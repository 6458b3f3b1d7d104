/**
 * The Dockerfile's variables as the builder reads them: `$X`, `${X}` and the `${X:-d}` forms substituted, the
 * names a value refers to, the escape character. Scanned in one pass each (a value comes from the checkout: no
 * regular expression tried from every position of a long run).
 */

export type Lookup = (name: string) => string | undefined

/**
 * Substitutes `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+v}` and `${X+v}` as the Dockerfile builder does.
 * `escape` is the Dockerfile's escape character: `<escape>$` is a literal `$`.
 */
export function expandVariables(value: string, lookup: Lookup, escape = '\\'): string {
  let out = ''
  const close = closingBraces(value)
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === escape && value[i + 1] === '$') {
      out += '$'
      i++
      continue
    }
    if (c !== '$') {
      out += c
      continue
    }
    const braced = bracedAt(value, i, close)
    if (braced) {
      const { name, op, word, end } = braced
      const v = lookup(name)
      const set = v !== undefined
      const nonEmpty = set && v !== ''
      if (op === ':-') out += nonEmpty ? v : expandVariables(word, lookup, escape)
      else if (op === '-') out += set ? v : expandVariables(word, lookup, escape)
      else if (op === ':+') out += nonEmpty ? expandVariables(word, lookup, escape) : ''
      else if (op === '+') out += set ? expandVariables(word, lookup, escape) : ''
      else out += v ?? ''
      i = end - 1
      continue
    }
    const nameEnd = nameEndAt(value, i + 1)
    if (nameEnd > i + 1) {
      out += lookup(value.slice(i + 1, nameEnd)) ?? ''
      i = nameEnd - 1
      continue
    }
    out += c
  }
  return out
}

/*
 * The scanners below replace regular expressions (`/^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/` on
 * `value.slice(i)` at every `$`): on a value of many `${` without a `}` these scanned to the end from every `$`,
 * quadratic (a 200 KB ARG took 11 s). Each one here is linear: the next `}` is looked up once per stretch.
 */

/** End (exclusive) of a variable name `[A-Za-z_][A-Za-z0-9_]*` starting at `i`; `i` when there is none. */
function nameEndAt(text: string, i: number): number {
  const first = text[i]
  if (first === undefined || !(first === '_' || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) return i
  let end = i + 1
  for (; end < text.length; end++) {
    const c = text[end]
    if (!(c === '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) break
  }
  return end
}

/** The index of the first `}` at or after a position, each stretch of the text searched once. */
function closingBraces(text: string): (from: number) => number {
  let searchedFrom = Infinity
  let found = -1
  return (from) => {
    if (from >= searchedFrom && (found === -1 || found >= from)) return found
    searchedFrom = from
    found = text.indexOf('}', from)
    return found
  }
}

/** `${name}`, `${name:-word}`, `${name-word}`, `${name:+word}` or `${name+word}` at `i` (a `$`), or null. */
function bracedAt(text: string, i: number, close: (from: number) => number): { name: string; op?: string; word: string; end: number } | null {
  if (text[i + 1] !== '{') return null
  const nameEnd = nameEndAt(text, i + 2)
  if (nameEnd === i + 2) return null
  const name = text.slice(i + 2, nameEnd)
  if (text[nameEnd] === '}') return { name, word: '', end: nameEnd + 1 }
  const op = text[nameEnd] === ':' ? text.slice(nameEnd, nameEnd + 2) : text.slice(nameEnd, nameEnd + 1)
  if (op !== ':-' && op !== '-' && op !== ':+' && op !== '+') return null
  const wordStart = nameEnd + op.length
  const end = close(wordStart)
  if (end < 0) return null
  return { name, op, word: text.slice(wordStart, end), end: end + 1 }
}

/**
 * Docker's ProcessWord for one word of an ARG, ENV or LABEL: quote removal and variable substitution in one pass.
 * `'...'` is literal (no `$` expansion), `"..."` expands `$` and lets the escape character escape `"`, `$` and
 * itself, and outside quotes the escape character makes the next character literal.
 */
export function processWord(word: string, lookup: Lookup, escape = '\\'): string {
  let out = ''
  let i = 0
  const close = closingBraces(word)
  const dollar = (): void => {
    // at '$': the longest ${...} or $NAME, expanded as expandVariables does; a lone $ stays
    const braceEnd = word[i + 1] === '{' ? close(i + 2) : -1
    const end = braceEnd >= 0 ? braceEnd + 1 : nameEndAt(word, i + 1)
    if (end === i + 1) {
      out += '$'
      i++
      return
    }
    out += expandVariables(word.slice(i, end), lookup, escape)
    i = end
  }
  while (i < word.length) {
    const c = word[i]!
    if (c === escape) {
      if (i + 1 < word.length) out += word[i + 1]
      i += 2
    } else if (c === "'") {
      const end = word.indexOf("'", i + 1)
      out += end < 0 ? word.slice(i + 1) : word.slice(i + 1, end)
      i = end < 0 ? word.length : end + 1
    } else if (c === '"') {
      i++
      while (i < word.length && word[i] !== '"') {
        const d = word[i]!
        if (d === '$') dollar()
        else if (d === escape && i + 1 < word.length && ['"', '$', escape].includes(word[i + 1]!)) {
          out += word[i + 1]
          i += 2
        } else {
          out += d
          i++
        }
      }
      i++
    } else if (c === '$') dollar()
    else {
      out += c
      i++
    }
  }
  return out
}

/** Names of variables a value refers to. */
export function referencedVariables(value: string): string[] {
  // `/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g`, in one pass
  const names: string[] = []
  const close = closingBraces(value)
  for (let i = value.indexOf('$'); i >= 0; i = value.indexOf('$', i)) {
    const nameEnd = nameEndAt(value, i + 2)
    const end = value[i + 1] === '{' && nameEnd > i + 2 ? close(nameEnd) : -1
    if (end >= 0) {
      names.push(value.slice(i + 2, nameEnd))
      i = end + 1
      continue
    }
    const plainEnd = nameEndAt(value, i + 1)
    if (plainEnd > i + 1) names.push(value.slice(i + 1, plainEnd))
    i = Math.max(plainEnd, i + 1)
  }
  return names
}
