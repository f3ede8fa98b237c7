"""Find regular-expression matches in a short text by trying each pattern only where it can start."""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P

# Why: the classifier runs ~70 large case-insensitive alternations over every sentence, and `re` tries each at
# every character (~0.3 us a character each). Every match of those patterns starts with one of a few literal
# strings ("adolescen", "ketamine ", a digit); the words of abstracts repeat, so which pattern may start where in
# a word is worked out once per word and remembered. Each alternative is then tried only at those positions,
# in the order `finditer` would try it, so the matches are the same as `rx.finditer(text)`, object for object.

_CAP = 512  # literal strings one alternative may start with; more means "anywhere"
_CACHE_MAX = 50_000  # words and pieces of text remembered (~100 bytes each); abstracts reuse their words
_WORD = re.compile(r"\w")
_TOKEN = re.compile(r"\w+")
# Characters for which lower-casing does not tell what a case-insensitive pattern matches: dotless i, long s,
# dotted capital I (two characters once lower-cased) and non-ASCII digits (\d matches them).
_WEIRD = re.compile(r"[\u0130\u0131\u017f]|(?![0-9])\d")
_START, _END, _RUN = "\x01", "\x02", "\x03"  # at a word's start; at a word's end; a \w* run before the rest
_ZERO = (C.AT, C.ASSERT, C.ASSERT_NOT)
_NONE: list = []  # shared: callers never change what they are given
_AT = {
    C.AT_BEGINNING: "^", C.AT_END: "$", C.AT_BEGINNING_STRING: r"\A", C.AT_END_STRING: r"\Z",
    C.AT_BOUNDARY: r"\b", C.AT_NON_BOUNDARY: r"\B",
}  # fmt: skip
_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}  # fmt: skip
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


# --- a parsed pattern back to text (one alternative at a time) ----------------------------------------------
def _esc(ch: str) -> str:
    if ch.isascii():
        return ch if ch.isalnum() else "\\" + ch
    return f"\\U{ord(ch):08x}"


def _flags(bits: int) -> str:
    return "".join(letter for flag, letter in _FLAG_LETTERS if bits & flag)


def _unparse(data, names: dict[int, str]) -> str:
    return "".join(_node(op, av, names) for op, av in data)


def _node(op, av, names) -> str:
    if op is C.LITERAL:
        return _esc(chr(av))
    if op is C.NOT_LITERAL:
        return f"[^{_esc(chr(av))}]"
    if op is C.ANY:
        return "."
    if op is C.IN:
        out = []
        for o, a in av:
            if o is C.NEGATE:
                out.append("^")
            elif o is C.LITERAL:
                out.append(_esc(chr(a)))
            elif o is C.RANGE:
                out.append(f"{_esc(chr(a[0]))}-{_esc(chr(a[1]))}")
            elif o is C.CATEGORY:
                out.append(_CATEGORY[a])
            else:
                raise ValueError(o)
        return "[" + "".join(out) + "]"
    if op is C.BRANCH:
        return "(?:" + "|".join(_unparse(a, names) for a in av[1]) + ")"
    if op is C.SUBPATTERN:
        group, add, remove, p = av
        body = _unparse(p, names)
        if group is not None:
            if add or remove:
                raise ValueError("flags on a capturing group")
            return f"(?P<{names[group]}>{body})" if group in names else f"({body})"
        on, off = _flags(add), _flags(remove)
        return f"(?{on}-{off}:{body})" if off else f"(?{on}:{body})"
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, p = av
        q = f"{{{lo},}}" if hi is C.MAXREPEAT else f"{{{lo},{hi}}}"
        q += "?" if op is C.MIN_REPEAT else "+" if op is C.POSSESSIVE_REPEAT else ""
        return f"(?:{_unparse(p, names)}){q}"
    if op is C.AT:
        return _AT[av]
    if op in (C.ASSERT, C.ASSERT_NOT):
        direction, p = av
        kind = ("=" if op is C.ASSERT else "!") if direction == 1 else ("<=" if op is C.ASSERT else "<!")
        return f"(?{kind}{_unparse(p, names)})"
    if op is C.ATOMIC_GROUP:
        return f"(?>{_unparse(av, names)})"
    raise ValueError(f"not supported: {op}")


# --- the literal strings every match of an alternative starts with ------------------------------------------
def _chars(op, av) -> list[str] | None:
    """The few characters a one-character item matches (lower case), or None."""
    if op is C.LITERAL:
        return [chr(av).lower()]
    if op is not C.IN:
        return None
    out = []
    for o, a in av:
        if o is C.LITERAL:
            out.append(chr(a).lower())
        elif o is C.RANGE and a[1] - a[0] < 16:
            out += [chr(x).lower() for x in range(a[0], a[1] + 1)]
        elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
            out += "0123456789"
        else:
            return None
    return sorted(set(out))


def _real(p: str) -> bool:
    return bool(p.strip(_START + _RUN))


def _stop(p: str) -> list[tuple[str, bool]] | None:
    return [(p, False)] if _real(p) else None


def _not_after_word(op, av) -> bool:
    """\\b, or a lookbehind like (?<![\\w.]): what precedes is not a word character."""
    if op is C.AT:
        return av is C.AT_BOUNDARY
    if op is not C.ASSERT_NOT or av[0] != -1 or len(av[1]) != 1 or av[1][0][0] is not C.IN:
        return False
    return any(o is C.CATEGORY and a is C.CATEGORY_WORD for o, a in av[1][0][1])


def _follow(seq, i: int, starts, p: str) -> list[tuple[str, bool]] | None:
    """Each complete start continued with seq[i:]; a start that cannot be continued stops where it is."""
    out: list[tuple[str, bool]] = []
    for s, done in starts:
        more = (_lead(seq, i, s) or _stop(s)) if done else [(s, False)]
        if more is None:
            return _stop(p)
        out += more
    if len(out) > _CAP or not all(_real(s) for s, _ in out):
        return _stop(p)
    return out


def _lead(seq, i: int, p: str) -> list[tuple[str, bool]] | None:
    """[(start, complete)]: every match of seq[i:] after `p` starts with one of the starts; None if unknown.

    A start is lower case, marked _START when it begins a word and _END when a word ends with it; _RUN marks
    "a run of word characters, then this". `complete` says the start covers all of seq[i:].
    """
    while i < len(seq):
        op, av = seq[i]
        if _not_after_word(op, av):
            if _real(p):
                ends_word = op is C.AT and _WORD.match(p[-1])
                return [(p + _END if ends_word else p, False)]
            p = _START
        elif op in _ZERO:
            pass
        elif (chars := _chars(op, av)) is not None:
            if len(chars) > 16:
                return _stop(p)
            starts = [(("" if p == _START and not _WORD.match(c) else p) + c, True) for c in chars]
            return _follow(seq, i + 1, starts, p)
        elif op in (C.SUBPATTERN, C.BRANCH) or op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] == 1:
            alts = [av[3]] if op is C.SUBPATTERN else av[1] if op is C.BRANCH else [av[2]]
            starts = [_lead(list(alt), 0, p) for alt in alts]
            if None in starts:
                return _stop(p)
            skip = [(p, True)] if op is not C.SUBPATTERN and op is not C.BRANCH and av[0] == 0 else []
            return _follow(seq, i + 1, [s for group in starts for s in group] + skip, p)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _, inner = av
            if _real(p):
                return [(p, False)]
            if list(inner) == [(C.IN, [(C.CATEGORY, C.CATEGORY_WORD)])]:  # \w* or \w+, then something
                rest = _lead(seq, i + 1, "")
                if rest is None or not all(_real(s) for s, _ in rest):
                    return None
                return [(_RUN + p + s.lstrip(_START), False) for s, _ in rest]
            first = _lead(list(inner), 0, p)
            rest = _lead(seq, i + 1, p) if lo == 0 else []
            if first is None or rest is None:
                return None
            return [(s, False) for s, _ in first] + rest
        else:
            return _stop(p)
        i += 1
    return [(p, True)]


def _with_groups(alt: re.Pattern[str], whole: re.Pattern[str]) -> re.Pattern[str]:
    """`alt` with the named groups of the other alternatives too (never matching), so m["name"] works as before.

    Group numbers are not kept: callers use names, or the groups that matched in order.
    """
    missing = [name for name in whole.groupindex if name not in alt.groupindex]
    if not missing:
        return alt
    return re.compile(alt.pattern + "(?:" + "".join(f"(?P<{n}>)" for n in missing) + "){0}", alt.flags)


# --- patterns as alternatives with their starts -------------------------------------------------------------
class _Program:
    """A pattern split into its top-level alternatives, each compiled alone, and where each can start."""

    def __init__(self, rx: re.Pattern[str]):
        tree = P.parse(rx.pattern, rx.flags)
        names = {number: name for name, number in tree.state.groupdict.items()}
        data, zero = list(tree.data), []
        while data and data[0][0] in _ZERO:
            zero.append(data.pop(0))
        wrap = None
        if len(data) == 1 and data[0][0] is C.SUBPATTERN and data[0][1][0] is None:
            wrap, data = data[0][1][1:3], list(data[0][1][3])
        if len(data) == 1 and data[0][0] is C.BRANCH:
            alts = [list(a) for a in data[0][1][1]]
            if wrap is not None:
                alts = [[(C.SUBPATTERN, (None, *wrap, a))] for a in alts]
            seqs = [zero + a for a in alts]
            flags = rx.flags & ~re.VERBOSE
            self.alts = [_with_groups(re.compile(_unparse(seq, names), flags), rx) for seq in seqs]
        else:
            seqs, self.alts = [list(tree.data)], [rx]
        self.starts = []
        for seq in seqs:
            starts = _lead(seq, 0, "")
            if starts is None or not all(_real(s) for s, _ in starts):
                raise ValueError(f"no literal start in {rx.pattern[:60]!r}")
            if any(s.lstrip(_RUN + _START).startswith(" ") for s, _ in starts):
                raise ValueError("starts with a space: texts are indexed between spaces")
            self.starts.append(sorted({s for s, _ in starts}))


def _trie(words) -> str:
    """One regex for many literal strings, longest first where they share a beginning."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ("|" if "" in node else "") + ")"

    return emit(root)


class Index:
    """`find(rx, text)` equals `list(rx.finditer(text))` for the patterns given, and is much faster."""

    def __init__(self, patterns):
        self._programs: dict[int, tuple[int, _Program]] = {}  # by id(): hashing a Pattern hashes its code
        heads: dict[str, list] = {}  # word-start of a start -> [(tail, pattern id, alternative, run)]
        self._nonword: dict[str, list] = {}  # first character -> [(start, pattern id, alternative, run)]
        self._patterns: list[re.Pattern[str]] = []
        for rx in {id(rx): rx for rx in patterns}.values():
            try:
                program = _Program(rx)
            except Exception:  # noqa: BLE001 - anything this reading of `re` internals does not know
                continue  # such a pattern is simply run with finditer
            pid = len(self._programs)
            self._patterns.append(rx)  # keeps the id valid
            self._programs[id(rx)] = (pid, program)
            for k, starts in enumerate(program.starts):
                for s in starts:
                    run = None
                    if s.startswith(_RUN):
                        run, s = s.startswith(_RUN + _START), s[1:].lstrip(_START)
                    bound, end = s.startswith(_START), s.endswith(_END)
                    core = s.strip(_START + _END)
                    if not _WORD.match(core[0]):
                        self._nonword.setdefault(core[0], []).append((core, pid, k, run))
                        continue
                    word = _TOKEN.match(core)[0]
                    head = (_START if bound and run is None else "") + word
                    head += _END if len(core) > len(word) or end else ""
                    heads.setdefault(head, []).append((core if len(core) > len(word) else None, pid, k, run))
        self._heads = re.compile(f"(?=({_trie(heads)}))") if heads else None
        # every start found also finds the shorter starts it begins with
        self._closure = {h: [e for i in range(1, len(h) + 1) for e in heads.get(h[:i], ())] for h in heads}
        self._tokens: dict[str, tuple] = {}
        self._chunks: dict[str, tuple] = {}
        self._texts: dict[str, dict | None] = {}

    def reset(self) -> None:
        """Forget the texts seen (the words seen are kept: they recur)."""
        self._texts.clear()

    def _token(self, tok: str) -> tuple:
        """[(candidate offset, offset of the literal to check, literal or None, pattern id, alternative)]."""
        out = []
        for m in self._heads.finditer(_START + tok + _END):
            j = m.start()
            for tail, pid, k, run in self._closure[m[1]]:
                off = max(j - 1, 0)
                if run is None:
                    out.append((off, off, tail, pid, k))
                else:
                    out += [(c, off, tail, pid, k) for c in ([0] if run else range(off + 1))]
        return tuple(out)

    def _chunk(self, chunk: str) -> dict[int, tuple]:
        """{pattern id: ((candidate offset, offset of the literal to check, literal or None, alternative), ...)}
        for a piece of text between spaces."""
        out: dict[int, list] = {}
        if self._heads is not None:
            tokens = self._tokens
            for m in _TOKEN.finditer(chunk):
                a, tok = m.start(), m[0]
                info = tokens.get(tok)
                if info is None:
                    if len(tokens) > _CACHE_MAX:
                        tokens.clear()
                    info = tokens[tok] = self._token(tok)
                for c, o, tail, pid, k in info:
                    out.setdefault(pid, []).append((a + c, a + o, tail, k))
        for ch, entries in self._nonword.items():
            j = chunk.find(ch)
            while j >= 0:
                r = j
                while r and _WORD.match(chunk[r - 1]):
                    r -= 1
                for lit, pid, k, run in entries:
                    cands = [j] if run is None else [r] if run else range(r, j + 1)
                    out.setdefault(pid, []).extend((c, j, lit if len(lit) > 1 else None, k) for c in cands)
                j = chunk.find(ch, j + 1)
        return {pid: tuple(dict.fromkeys(v)) for pid, v in out.items()}

    def _index(self, text: str) -> dict | None:
        """{pattern id: [(offset of a piece of text, what may start in it)]}, or None: use finditer."""
        low = text.lower()
        if len(low) != len(text) or (not text.isascii() and _WEIRD.search(text)):
            return None
        index: dict = {"": low}
        chunks, get, pos = self._chunks, self._chunks.get, 0
        for chunk in low.split(" "):
            info = get(chunk)
            if info is None:
                if len(chunks) > _CACHE_MAX:
                    chunks.clear()
                info = chunks[chunk] = tuple(self._chunk(chunk).items())
            for pid, entries in info:
                if pid in index:
                    index[pid].append((pos, entries))
                else:
                    index[pid] = [(pos, entries)]
            pos += len(chunk) + 1
        return index

    def find(self, rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
        """Every match of `rx` in `text`, as `list(rx.finditer(text))` would give them (do not change it)."""
        return self.find_each(rx, (text,))[0]

    def find_each(self, rx: re.Pattern[str], texts) -> list[list[re.Match[str]]]:
        """[find(rx, text) for text in texts], with less overhead."""
        known = self._programs.get(id(rx))
        if known is None:
            return [list(rx.finditer(t)) for t in texts]
        pid, program = known
        done = ~pid  # where a text's index keeps this pattern's matches once found
        memo, out = self._texts, []
        for text in texts:
            index = memo.get(text, False)
            if index is False:
                if len(memo) > 4096:
                    memo.clear()
                index = memo[text] = self._index(text)
            if index is None:
                out.append(list(rx.finditer(text)))
            elif pid not in index:
                out.append(_NONE)
            elif done in index:
                out.append(index[done])
            else:
                out.append(self._resolve(program, index, index[pid], text))
                index[done] = out[-1]
        return out

    def find_all(self, rxs, text: str) -> list[list[re.Match[str]]]:
        """[find(rx, text) for rx in rxs], with less overhead."""
        memo = self._texts
        index = memo.get(text, False)
        if index is False:
            if len(memo) > 4096:
                memo.clear()
            index = memo[text] = self._index(text)
        out, programs = [], self._programs
        for rx in rxs:
            known = programs.get(id(rx))
            if known is None or index is None:
                out.append(list(rx.finditer(text)))
            elif known[0] not in index:
                out.append(_NONE)
            elif ~known[0] in index:
                out.append(index[~known[0]])
            else:
                out.append(self._resolve(known[1], index, index[known[0]], text))
                index[~known[0]] = out[-1]
        return out

    @staticmethod
    def _resolve(program: _Program, index: dict, found: list, text: str) -> list[re.Match[str]]:
        """Try the alternatives where they may start, in the order finditer would."""
        low, cands = index[""], []
        for pos, entries in found:
            for c, o, tail, k in entries:
                if tail is None or low.startswith(tail, pos + o):
                    cands.append((pos + c, k))
        if len(cands) > 1:
            cands = sorted(set(cands))
        out, end, alts = [], 0, program.alts
        for pos, k in cands:
            if pos >= end and (m := alts[k].match(text, pos)):
                out.append(m)
                end = m.end()
        return out
