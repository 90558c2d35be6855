"""The conversation engine every front end drives."""
from bot.engine.core import HELP, Engine, Turn, clean_text

__all__ = ["Engine", "Turn", "HELP", "clean_text", "recommend_once"]


def recommend_once(services, text: str, *, k: int = 10):
    """One-shot search for `moodtape recommend`: parse, search, no session, no feedback."""
    from retrieval.search import SearchResult
    from storage.errors import InputError

    text = clean_text(text)
    if not text:
        raise InputError("empty request", user_message="Tell me what you want, e.g. "
                         "\"something nostalgic for a rainy night\".")
    req = services.parse(text)
    if req.count:
        k = max(1, min(req.count, 50))
    notes = []
    if req.unknown_mentions:
        notes.append(f"I don't have {', '.join(dict.fromkeys(req.unknown_mentions))} in my catalog yet.")
    if not req.has_content():
        raise InputError("nothing to search", user_message=" ".join(notes) + (" " if notes else "")
                         + "I didn't catch a mood, a scene or an artist. Try \"sad songs from the 80s\" or "
                         "\"music for cleaning the house\".")
    result: SearchResult = services.recommender.recommend(req, k=k)
    result.notes = notes
    return result
