"""One feature a file; each ends in `async def setup(bot)`. The list that loads them is
`bot.discordbot.client.EXTENSIONS`. `vibe_views` holds views, not a cog."""
