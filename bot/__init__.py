"""Front ends (terminal chat, JSONL, Discord) and the conversation engine they all drive."""
