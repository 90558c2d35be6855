"""Front ends (terminal chat, JSONL, Discord) and the conversation engine they all drive."""
from bot.allocator import tune_native_memory

# Every front end imports `bot` before any worker thread exists or pyarrow allocates: the one place
# early enough to cap glibc's malloc arenas and pick Arrow's allocator (see bot/allocator.py;
# without it resident memory crept up over thousands of turns).
tune_native_memory()
