"""Persistent state: SQLite (feedback, sessions, playlists, tokens), settings and exporters."""
