"""The Discord front end (named `discordbot` so it never shadows the `discord` library)."""
from bot.discordbot.client import EXTENSIONS, MoodtapeBot, check_config, make_intents, run_bot

__all__ = ["MoodtapeBot", "run_bot", "check_config", "make_intents", "EXTENSIONS"]
