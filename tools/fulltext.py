"""Words for the full-text search of the good-practice library: the same
folding for the sheets' text (indexed) and for what a reader types (the
query), so that "Égalité", "egalite", "ÉGALITÉ", "éga\u200blité" and
"еgalite" (a Cyrillic "е") all find the same sheets.

A text becomes words of letters and digits, without accents nor case,
look-alike letters of other scripts read as the Latin letter they imitate
(``inputs.comparable``, word by word). PostgreSQL indexes them as they are
(configuration ``simple``): nothing of the query's syntax (``&|!():*'``)
survives the folding, so typed text never reaches ``to_tsquery`` as syntax.
"""

import unicodedata

from .inputs import _is_invisible, comparable

# What a query keeps of a typed text: the first words, each cut to a length
# PostgreSQL indexes (a lexeme is at most 2,047 bytes).
QUERY_MAX_WORDS = 12
WORD_MAX_LENGTH = 60
# The configuration of the tsvector and tsquery: no stemming nor stop
# words, the folding is done here.
TS_CONFIG = "simple"


def _chunks(text):
    """The runs of ``text`` that make words: letters, digits, and what
    ``comparable`` folds away inside a word (accents, invisible characters)."""
    text = unicodedata.normalize("NFKC", text or "")
    current = []
    for char in text:
        if char.isalnum() or unicodedata.combining(char) or _is_invisible(char):
            current.append(char)
        elif current:
            yield "".join(current)
            current = []
    if current:
        yield "".join(current)


def words(text):
    """The folded words of ``text``, in order, repeated as they come."""
    result = []
    for chunk in _chunks(text):
        word = comparable(chunk)
        if word:
            result.append(word)
    return result


def document(*texts):
    """The text to index for ``texts`` (a title, a plain text, names): its
    folded words, space-separated; overlong words are cut as a query cuts
    them."""
    return " ".join(word[:WORD_MAX_LENGTH] for text in texts for word in words(text))


def query_words(text):
    """The words a reader searched, each a prefix that must be found: the
    first ``QUERY_MAX_WORDS`` distinct ones, cut to ``WORD_MAX_LENGTH``;
    single letters (the "l" of "l'égalité") are dropped, single digits kept."""
    result = []
    for word in words(text if isinstance(text, str) else ""):
        word = word[:WORD_MAX_LENGTH]
        if (len(word) > 1 or word.isdigit()) and word not in result:
            result.append(word)
        if len(result) >= QUERY_MAX_WORDS:
            break
    return result


def tsquery(text):
    """The ``to_tsquery`` text for what a reader typed: every word required,
    each matched as a prefix (``'mot':*``); empty when nothing searchable
    was typed. The words are letters and digits only: the quotes are never
    closed early, nothing else is syntax."""
    return " & ".join(f"'{word}':*" for word in query_words(text))
