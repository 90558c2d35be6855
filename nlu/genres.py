"""Genres (canonical names of retrieval.genres.CANONICAL_GENRES) with the aliases people type, and
the lyric languages people ask for. Aliases are folded like the parser's text."""
from __future__ import annotations

# canonical genre -> aliases (en, es, de, fr, pt). "rap" stays recognisable as its own alias.
GENRES: dict[str, tuple[str, ...]] = {
    "hip hop": ("hip hop", "hiphop", "rap", "raps", "rapper", "rappers", "trap", "drill", "boom bap",
                "gangsta rap", "g funk", "grime", "rap music", "hip hop music", "rap francais",
                "deutschrap", "deutsch rap", "rap nacional", "rap espanol"),
    "metal": ("metal", "heavy metal", "death metal", "black metal", "thrash metal", "thrash",
              "nu metal", "metalcore", "doom metal", "power metal", "hair metal", "glam metal",
              "post metal", "metalero", "metalleiro"),
    "punk": ("punk", "punk rock", "pop punk", "post punk", "hardcore punk", "emo", "ska punk", "punkrock"),
    "rock": ("rock", "rock music", "classic rock", "hard rock", "soft rock", "rock n roll",
             "rock and roll", "rocknroll", "rock n rol", "alt rock", "alternative rock", "alternative",
             "grunge", "prog rock", "progressive rock", "psychedelic rock", "garage rock", "post rock",
             "glam rock", "southern rock", "arena rock", "rockabilly", "new wave", "shoegaze",
             "rock nacional", "rock en espanol", "rockmusik", "rock francais", "rock brasileiro"),
    "country": ("country", "country music", "bluegrass", "americana", "honky tonk", "outlaw country",
                "country pop", "nashville", "western", "sertanejo", "musica country", "countrymusik"),
    "r&b": ("r&b", "r and b", "rnb", "r n b", "rhythm and blues", "neo soul", "contemporary r&b",
            "new jack swing", "quiet storm"),
    "soul": ("soul", "soul music", "motown", "northern soul", "doo wop", "doowop", "musica soul"),
    "funk": ("funk", "funk music", "p funk", "g funk era", "funk carioca", "baile funk"),
    "disco": ("disco", "disco music", "nu disco", "italo disco", "musica disco"),
    "electronic": ("electronic", "electronica", "electro", "edm", "techno", "house music", "deep house",
                   "tech house", "trance", "dubstep", "drum and bass", "dnb", "synthwave", "synthpop",
                   "synth pop", "idm", "electronic music", "musica electronica", "elektronisch",
                   "elektronische musik", "elektro", "musique electronique", "musica eletronica",
                   "eletronica", "lofi", "lo fi", "chillwave", "downtempo", "trip hop"),
    "dance": ("dance music", "dance pop", "eurodance", "club music", "dance hits", "dance tracks",
              "dancehall pop", "musica dance", "tanzmusik"),
    "jazz": ("jazz", "jazzy", "smooth jazz", "bebop", "swing", "big band", "jazz music", "acid jazz",
             "bossa jazz", "musica jazz"),
    "blues": ("blues", "delta blues", "chicago blues", "blues rock", "bluesy"),
    "folk": ("folk", "folk music", "indie folk", "folk rock", "singer songwriter", "volksmusik",
             "musica folk", "folklore", "musique folk", "mpb"),
    "reggae": ("reggae", "ska", "dancehall", "dub", "roots reggae", "rocksteady"),
    "latin": ("latin", "latin music", "latino", "latina", "musica latina", "reggaeton", "regueton",
              "salsa", "bachata", "cumbia", "merengue", "bossa nova", "samba", "tango", "flamenco",
              "mariachi", "ranchera", "rancheras", "corridos", "tejano", "forro", "pagode",
              "latin pop", "musique latine", "latinomusik"),
    "gospel": ("gospel", "christian", "christian music", "worship music", "praise and worship",
               "gospel music", "ccm", "musica cristiana", "musica gospel", "louvor"),
    "classical": ("classical", "classical music", "orchestral", "orchestra", "symphony", "symphonic",
                  "opera", "baroque", "piano sonatas", "musica clasica", "klassik",
                  "klassische musik", "musique classique", "musica classica", "classique"),
    "indie": ("indie", "indie rock", "indie pop", "indie music", "bedroom pop", "musica indie"),
    "pop": ("pop", "pop music", "top 40", "mainstream pop", "k pop", "kpop", "j pop", "synth pop hits",
            "teen pop", "power pop", "europop", "schlager", "variete francaise", "musica pop", "popmusik", "musique pop", "pop rock"),
}

# "pop rock" and friends name two genres; the first listed wins the alias, the rest come along.
GENRE_PAIRS: dict[str, tuple[str, ...]] = {
    "pop rock": ("pop", "rock"), "folk rock": ("folk", "rock"), "blues rock": ("blues", "rock"),
    "pop punk": ("punk", "pop"), "dance pop": ("dance", "pop"), "indie rock": ("indie", "rock"),
    "indie pop": ("indie", "pop"), "latin pop": ("latin", "pop"), "indie folk": ("indie", "folk"),
    "country pop": ("country", "pop"), "neo soul": ("r&b", "soul"), "punk rock": ("punk", "rock"),
}

# wanted lyric language -> the words that name it (in the 5 languages)
LYRIC_LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("english", "ingles", "englisch", "englische", "englischen", "anglais", "anglaise", "anglaises"),
    "es": ("spanish", "espanol", "espanola", "espanolas", "castellano", "spanisch", "spanische",
           "spanischen", "espagnol", "espagnole", "espagnoles", "espanhol", "latin lyrics"),
    "de": ("german", "aleman", "alemana", "alemanas", "deutsch", "deutsche", "deutschen",
           "deutschsprachige", "allemand", "allemande", "allemandes", "alemao", "alemas"),
    "fr": ("french", "frances", "francesa", "francesas", "franzosisch", "franzosische",
           "franzosischen", "francais", "francaise", "francaises", "frances lyrics", "franceses"),
    "pt": ("portuguese", "portugues", "portuguesa", "portuguesas", "portugiesisch", "portugiesische",
           "portugais", "portugaise", "brasileira", "brasileiras", "brazilian"),
    "it": ("italian", "italiano", "italiana", "italianas", "italienisch", "italienische", "italien",
           "italienne", "italiennes"),
}

__all__ = ["GENRES", "GENRE_PAIRS", "LYRIC_LANGUAGES"]
