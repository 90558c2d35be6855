-- 0001: the first schema.
-- Applied in one transaction by storage.db.Database; PRAGMA user_version records it.
-- Rules for later migrations: new file 0002_name.sql, never edit an applied one, one statement
-- per `;` at a line end (storage.db.split_sql), no BEGIN/COMMIT inside (the runner owns them).
-- Times are UTC ISO-8601 text (storage.db.utcnow). User ids are opaque text (Discord ids, "cli").

-- Everyone we hold any data about, so forget_user and audits have one list to start from.
CREATE TABLE users (
    user_id    TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
);

-- 👍/👎 per song; one row per (user, song): the latest vote replaces the earlier one.
-- artist is kept as shown so demotion survives catalog rebuilds that change song ids.
CREATE TABLE feedback (
    user_id    TEXT NOT NULL,
    song_id    TEXT NOT NULL,
    artist     TEXT NOT NULL DEFAULT '',
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, song_id)
);

-- Conversation state per (user, channel): last request, shown song ids (capped by the engine),
-- current picks. Opaque JSON to storage.
CREATE TABLE sessions (
    user_id    TEXT NOT NULL,
    channel    TEXT NOT NULL,
    state_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, channel)
);

-- AUTOINCREMENT: a deleted playlist's id is never reused, so an id cached elsewhere (a Spotify
-- export in flight) can never point at someone else's new playlist.
-- name_key = NFC + casefold of name, computed in Python: NOCASE only folds ASCII, and lookups must
-- agree with what the engine calls "the same name" for Ä/ä, ß/SS. The NOCASE constraint is
-- implied by the name_key one and kept as the documented rule.
CREATE TABLE playlists (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_key   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name COLLATE NOCASE),
    UNIQUE (user_id, name_key)
);

-- position is 1-based and kept contiguous by storage.playlists (renumbered on remove); not UNIQUE
-- because renumbering with UPDATE would trip a per-row uniqueness check half-way.
CREATE TABLE playlist_items (
    playlist_id INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    song_id     TEXT NOT NULL,
    artist      TEXT NOT NULL,
    title       TEXT NOT NULL,
    year        INTEGER,
    added_at    TEXT NOT NULL,
    UNIQUE (playlist_id, song_id)
);
CREATE INDEX playlist_items_by_position ON playlist_items (playlist_id, position);

-- Spotify (owned by the Spotify exporter). token_json holds secrets: the db file is mode 0600.
CREATE TABLE spotify_tokens (
    user_id    TEXT PRIMARY KEY NOT NULL,
    token_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The Spotify playlist a local playlist was exported to (one per local playlist).
CREATE TABLE spotify_exports (
    user_id             TEXT NOT NULL,
    playlist_id         INTEGER PRIMARY KEY NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    spotify_playlist_id TEXT NOT NULL,
    snapshot            TEXT,
    updated_at          TEXT NOT NULL
);
CREATE INDEX spotify_exports_by_user ON spotify_exports (user_id);

-- Song -> Spotify track for an exported playlist. spotify_uri NULL = looked up, not on Spotify.
-- References playlists (not spotify_exports) so matches can be cached before the remote playlist exists.
CREATE TABLE spotify_export_items (
    playlist_id INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    song_id     TEXT NOT NULL,
    spotify_uri TEXT,
    PRIMARY KEY (playlist_id, song_id)
);
