"""Per-user token buckets: a burst of a few requests, then a steady trickle."""
from __future__ import annotations

import time
from typing import Callable

from bot.discordbot.render import LRU

SEARCH = 1.0     # a request that runs a search (/vibe, /more, /refine, chat, "more like this")
LIGHT = 0.25     # feedback, playlist changes, reactions: cheap, but not free


class RateLimiter:
    """`capacity` tokens per user, refilled at `capacity / per` tokens a second.

    The default, 5 per 10 s, lets a person ask five times in a row, then once every two seconds;
    a 👍 costs a quarter of a search. `clock` is injectable so tests need not sleep."""

    def __init__(self, capacity: float = 5.0, per: float = 10.0, *,
                 clock: Callable[[], float] = time.monotonic, users: int = 10000) -> None:
        if capacity <= 0 or per <= 0:
            raise ValueError("capacity and per must be positive")
        self.capacity = float(capacity)
        self.rate = float(capacity) / float(per)
        self.clock = clock
        self._buckets = LRU(users)   # user id -> (tokens, last time); a forgotten user starts full

    def hit(self, user_id: int | str, cost: float = SEARCH) -> float:
        """Take `cost` tokens. Returns 0.0 when allowed, else the seconds to wait."""
        now = self.clock()
        tokens, last = self._buckets.get(user_id, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens + 1e-9 >= cost:
            self._buckets.put(user_id, (tokens - cost, now))
            return 0.0
        self._buckets.put(user_id, (tokens, now))
        return (cost - tokens) / self.rate
