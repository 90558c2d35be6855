"""Twenty members at once: no answer or rating crosses between them, and the loop never stalls.

simcord's actors act one at a time (each waits for the bot to settle), so to make twenty members
speak *at once* the test posts their messages straight into simcord's backend (the same call an
actor makes) and then lets the bot settle once, with all twenty handlers in flight together.
"""
from __future__ import annotations

import asyncio
import time

from tests.discordbot.conftest import bot_replies_to, button, simulated, song_ids

TOPICS = ["rain", "summer", "the sea", "a broken heart", "dancing", "trains", "the city at night",
          "home", "friendship", "winter", "a road trip", "the moon", "fire", "dreams", "money",
          "freedom", "war", "a wedding", "childhood", "flowers"]


class LoopLagProbe:
    """Wakes every `interval` seconds and records how late it woke: the worst stall of the loop."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.worst = 0.0
        self.samples = 0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.worst = max(self.worst, time.perf_counter() - start - self.interval)
            self.samples += 1

    def __enter__(self) -> "LoopLagProbe":
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_twenty_members_chat_at_once_nothing_crosses_and_the_loop_keeps_up(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        members = [w.member(f"member{i:02d}") for i in range(20)]
        backend = w.env.backend
        started = time.perf_counter()
        with LoopLagProbe() as probe:
            asked = {m.id: backend.create_message(w.channel.id, m.id, f"{bot.user.mention} songs about {t}")
                     for m, t in zip(members, TOPICS)}
            await w.env.settle()
            elapsed = time.perf_counter() - started
            await asyncio.sleep(0.05)
        print(f"\nloop-lag probe: worst stall {probe.worst * 1000:.1f} ms over {probe.samples} samples "
              f"while 20 members chatted ({elapsed:.1f} s for 20 answers)")
        assert probe.samples > 20
        assert probe.worst < 1.0, f"the event loop stalled for {probe.worst:.2f} s"

        answers = {}
        for m, topic in zip(members, TOPICS):
            [reply] = bot_replies_to(w.channel, asked[m.id].id)
            ids = song_ids(reply)
            assert len(ids) == 5
            # the reply to m is m's own turn: the engine's session for m holds exactly these picks
            state = engine.sessions.load(str(m.id), str(w.channel.id))
            assert state["last_request"]["text"].endswith(f"songs about {topic}")
            assert [p["song_id"] for p in state["picks"]] == ids
            answers[m.id] = reply

        # everyone rates their neighbour's first pick, and then reacts 👎 to their own set, all at once
        for i, m in enumerate(members):
            other = answers[members[(i + 1) % 20].id]
            await m.click(other, custom_id=button(other, "up", 1))
        for m in members:
            backend.set_reaction(w.channel.id, answers[m.id].id, "👎", m.id, True)
        await w.env.settle()
        for i, m in enumerate(members):
            taste = engine.feedback_store.for_user(str(m.id))
            liked = song_ids(answers[members[(i + 1) % 20].id])[0]
            own = set(song_ids(answers[m.id]))
            assert taste.disliked == own
            assert taste.liked == (set() if liked in own else {liked})   # the later 👎 wins
