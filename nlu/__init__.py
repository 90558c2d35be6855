"""Natural-language understanding: text in, a typed `Request` out."""
from nlu.request import ArtistMention, CatalogVocab, Request

__all__ = ["Request", "ArtistMention", "CatalogVocab", "parse_request"]


def parse_request(text, *, vocab=None, previous=None):
    """Parse `text` into a `Request` (deterministic parser; see nlu.parser)."""
    from nlu.parser import parse_request as _parse

    return _parse(text, vocab=vocab, previous=previous)
