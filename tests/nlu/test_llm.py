"""The LLM parser's plumbing with in-memory chat models (no network): schema mapping, the rules'
guard on negation and hard constraints, timeout and invalid-output fallbacks; plus an opt-in test
against a real local model (MOODTAPE_LLM_GGUF or MOODTAPE_LLM_URL)."""
from __future__ import annotations

import os
import time
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from nlu import parse_request
from nlu.llm import LLMParser, LLMRequest, make_chat_model
from nlu.vocab import SimpleVocab
from storage.errors import ConfigError

VOCAB = SimpleVocab.from_songs([("s1", "Hello", "Adele"), ("s2", "Hotline Bling", "Drake"),
                                ("s3", "Shape of You", "Ed Sheeran")])


class ToolCallingFake(BaseChatModel):
    """Answers every call with one tool call carrying `args` (what with_structured_output parses),
    after `delay` seconds. GenericFakeChatModel cannot bind tools, so it cannot do this."""

    args: dict[str, Any] = {}
    delay: float = 0.0
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "tool-calling-fake"

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        msg = AIMessage(content="", tool_calls=[{"name": "LLMRequest", "args": self.args, "id": "call-1"}])
        return ChatResult(generations=[ChatGeneration(message=msg)])


def test_structured_output_maps_into_the_request():
    fake = ToolCallingFake(args={
        "moods": [{"name": "melancholic", "weight": 0.8}, {"name": "not-a-mood", "weight": 1.0}],
        "themes": ["rain", "spaceships"], "scenes": ["studying"], "genres_in": ["jazz", "polka"],
        "year_min": 1990, "year_max": 1999, "count": 7, "artists_in": ["adelle", "Boris"],
        "like_titles": ["hotline bling"], "query_text": "quiet rainy evening"})
    req = LLMParser(fake, timeout_s=2).parse("music for when the window is grey and I read", vocab=VOCAB)
    assert fake.calls == 1 and req.parser == "llm"
    assert req.moods == {"melancholic": 0.8}                  # closed vocabulary only
    assert req.themes == ["rain"] and req.scenes == ["studying"] and req.genres_in == ["jazz"]
    assert (req.year_min, req.year_max, req.count) == (1990, 1999, 7)
    assert req.artists_in == ["Adele"] and "Boris" in req.unknown_mentions
    assert req.like_songs == ["s2"]


def test_rules_win_on_negation_and_hard_constraints():
    fake = ToolCallingFake(args={
        "moods": [{"name": "sad", "weight": 1.0}], "valence": -0.8, "year_min": 1970, "year_max": 1979,
        "genres_in": ["hip hop"], "genres_out": ["jazz"], "artists_in": ["Drake"], "artists_out": []})
    text = "not too sad, nothing from the 2000s, no rap, no more Drake"
    rules = parse_request(text, vocab=VOCAB)
    req = LLMParser(fake, timeout_s=2).parse(text, vocab=VOCAB)
    assert "sad" not in req.moods and req.valence == rules.valence and req.valence > 0
    assert req.exclude_years == [(2000, 2009)] and req.year_min is None
    assert req.genres_out == ["hip hop"] and "hip hop" not in req.genres_in
    assert req.artists_out == ["Drake"] and req.artists_in == []


def test_timeout_falls_back_to_the_rules_parse():
    fake = ToolCallingFake(args={"moods": [{"name": "happy", "weight": 1}]}, delay=1.5)
    start = time.perf_counter()
    req = LLMParser(fake, timeout_s=0.2).parse("sad 80s songs")
    assert time.perf_counter() - start < 1.0
    assert req.parser == "rules" and req.moods == {"sad": 1.0} and req.year_min == 1980


@pytest.mark.parametrize("args", [{"count": "lots"}, {"year_min": "the eighties"}, {"moods": "sad"}])
def test_invalid_output_falls_back_to_the_rules_parse(args):
    req = LLMParser(ToolCallingFake(args=args), timeout_s=2).parse("happy songs for a road trip")
    assert req.parser == "rules" and req.moods == {"happy": 1.0} and req.scenes == ["road trip"]


def test_a_model_that_cannot_structure_its_output_is_refused():
    # GenericFakeChatModel has no tool binding: refused at construction with a config error,
    # before any message is parsed
    fake = GenericFakeChatModel(messages=iter([AIMessage(content="{\"count\": 3}")]))
    with pytest.raises(ConfigError, match="structured output"):
        LLMParser(fake)


def test_off_means_rules_only():
    parser = LLMParser(None)
    assert not parser.enabled
    assert parser.parse("chill songs").to_dict() == parse_request("chill songs").to_dict()
    assert make_chat_model("") is None


def test_unknown_provider_and_missing_packages_say_how_to_fix():
    with pytest.raises(ConfigError, match="unknown LLM provider"):
        make_chat_model("skynet")
    try:
        import langchain_ollama  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError) as exc:
            make_chat_model("ollama")
        assert "moodtape[llm]" in exc.value.user_message


def test_schema_mirrors_the_request():
    from nlu.request import Request
    mirrored = set(LLMRequest.model_fields) - {"like_titles"}
    assert mirrored <= set(Request.__dataclass_fields__)


@pytest.mark.llm
@pytest.mark.skipif(not (os.environ.get("MOODTAPE_LLM_GGUF") or os.environ.get("MOODTAPE_LLM_URL")),
                    reason="set MOODTAPE_LLM_GGUF or MOODTAPE_LLM_URL to test a real local model")
def test_real_local_model():
    if os.environ.get("MOODTAPE_LLM_GGUF"):
        model = make_chat_model("gguf", model=os.environ["MOODTAPE_LLM_GGUF"])
    else:
        model = make_chat_model(os.environ.get("MOODTAPE_LLM_PROVIDER") or "openai",
                                model=os.environ.get("MOODTAPE_LLM_MODEL", ""), url=os.environ["MOODTAPE_LLM_URL"])
    req = LLMParser(model, timeout_s=float(os.environ.get("MOODTAPE_LLM_TIMEOUT", "60"))).parse(
        "songs that feel like the last day of summer, from the 90s, no rap")
    assert (req.year_min, req.year_max) == (1990, 1999) and req.genres_out == ["hip hop"]
    assert req.valence is None or -1 <= req.valence <= 1


def test_services_use_the_configured_llm_parser(monkeypatch, builtin_services):
    """Every front end parses through Services.parse: with a provider configured the LLM reading
    is merged in; a provider that cannot load leaves the rules parser in charge."""
    import nlu.llm as llm_mod
    from bot.services import Services
    from storage.settings import Settings

    fake = ToolCallingFake(args={"moods": [{"name": "dreamy", "weight": 1.0}], "themes": ["sea"],
                                 "query_text": "floating by the ocean"})
    monkeypatch.setattr(llm_mod, "make_chat_model", lambda *a, **k: fake)
    services = Services(Settings(data_dir=builtin_services.settings.data_dir, llm_provider="ollama"))
    services.__dict__["catalog"] = builtin_services.catalog
    req = services.parse("music for drifting away, not from the 2000s")
    assert fake.calls == 1 and req.parser == "llm"
    assert "dreamy" in req.moods and req.exclude_years == [(2000, 2009)]

    def broken(*a, **k):
        raise ConfigError("missing", user_message="not installed")

    monkeypatch.setattr(llm_mod, "make_chat_model", broken)
    services = Services(Settings(data_dir=builtin_services.settings.data_dir, llm_provider="ollama"))
    services.__dict__["catalog"] = builtin_services.catalog
    assert services.parse("sad songs").parser == "rules"


def test_gguf_path_alone_selects_the_gguf_provider():
    from storage.settings import Settings

    s = Settings.from_env({"MOODTAPE_LLM_GGUF": "/models/x.gguf"}, dotenv=None)
    assert (s.llm_provider, s.llm_model) == ("gguf", "/models/x.gguf")
    assert Settings.from_env({}, dotenv=None).llm_provider == ""
