"""Function words of requests: negation cues, list glue, filler, number words, refinement
phrases, name cues, per-language hints and common words that never start an artist name.
All folded like the parser's text (lower case, no accents, apostrophes dropped)."""
from __future__ import annotations


def _set(*groups: str) -> frozenset[str]:
    return frozenset(w.strip() for g in groups for w in g.split("|") if w.strip())


# Start a negation scope: what follows (a list of genres/artists/years/moods) is unwanted.
NEGATION_CUES = _set(
    "no|not|without|except|excluding|exclude|nothing|never|none|minus|avoid|skip|hate|ban|"
    "anything but|everything but|anything except|other than|rather than|instead of|no more|"
    "dont want|do not want|dont like|do not like|dont play|do not play|not into|sick of|"
    "tired of|enough of|not a fan of|i hate|none of|leave out|without any|keep out|no more of",
    "sin|nada de|nada|ni|excepto|menos de|no quiero|sin nada de",
    "kein|keine|keinen|keiner|ohne|nicht|nichts|ausser|bitte kein|bitte keine",
    "sans|pas de|pas|sauf|aucun|aucune|rien de|excepte|pas du",
    "sem|nada de|nao|exceto|menos|nenhum|nenhuma|sem nada de")

# tokens allowed between a negation cue and the items it scopes over
GLUE = _set(
    "and|or|nor|the|a|an|any|more|too|so|very|much|all|of|from|by|songs|song|music|stuff|tracks|"
    "track|anything|something|some|that|is|are|overly|really|super|that|kind|type|genre|genres|"
    "artists|artist|bands|band|please|pls|plz|at|in|era|years|decade|decades|released|old|new|",
    "y|o|e|u|ni|de|del|la|las|los|el|lo|mas|muy|tan|canciones|musica|nada|anos|ano",
    "und|oder|der|die|das|den|dem|aus|von|zu|so|sehr|mehr|lieder|musik|jahre|jahren",
    "et|ou|le|les|des|du|un|une|plus|trop|si|tres|chansons|musique|annees|annee|des annees",
    "e|ou|o|os|as|do|da|dos|das|mais|muito|tao|musicas|cancoes|anos")

# dropped from the semantic query (request words carry no meaning for the search)
FILLER = _set(
    "something|somethin|smth|sth|anything|some|songs|song|music|tracks|track|tunes|tune|jams|"
    "playlist|play|me|give|pls|plz|please|i|im|id|want|need|wanna|would|like|could|can|you|u|"
    "recommend|recommendations|recommendation|suggest|suggestions|find|show|get|got|hey|hi|hello|"
    "yo|bot|moodtape|thanks|thank|thx|ok|okay|just|maybe|kinda|sort|of|a|bit|little|good|great|"
    "nice|cool|stuff|mix|put|on|list|list of|lets|let|us|hear|listen|listening|to|for|feel|"
    "feeling|vibe|with|that|are|is|which|be|am|my|mood|mode|tonight pls|something for|"
    "do|have|any|more|an|the|it|its|only|top|best|hits|make|keep|also|now|lets|got|some more|these|those|them|they|ones|one|kind|type|sort|stuff like",
    "algo|canciones|cancion|musica|ponme|pon|dame|quiero|necesito|por|favor|porfa|para|un|una|unas|"
    "unos|me|de|la|el|las|los|con|que|y|temas|hola",
    "etwas|lieder|lied|songs|musik|spiel|spiele|gib|mir|ich|will|mochte|brauche|bitte|fur|zum|zur|"
    "ein|eine|einige|paar|und|mit|hallo|hey|was",
    "quelque|chose|quelque chose|chansons|chanson|musique|mets|moi|donne|je|veux|voudrais|besoin|"
    "pour|sil|te|plait|stp|svp|des|du|une|un|de|le|la|les|et|avec|salut",
    "algo|musicas|musica|cancoes|cancao|toca|coloca|bota|me|da|quero|preciso|por|favor|pra|para|"
    "uma|um|umas|uns|de|do|da|com|e|oi|ola")

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a couple": 2, "a couple of": 2, "couple": 2, "a pair of": 2, "a few": 3, "few": 3,
    "a handful": 5, "a handful of": 5, "a dozen": 12, "dozen": 12, "several": 4,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "unas cuantas": 3, "un par de": 2,
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "ein paar": 3,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "quelques": 3,
    "duas": 2, "quatro": 4, "oito": 8, "nove": 9, "dez": 10, "algumas": 3, "umas": 3,
}
# what may follow a number for it to be a count ("5 songs", "top 10" is handled apart)
COUNT_NOUNS = _set(
    "songs|song|tracks|track|tunes|tune|more|picks|recommendations|bangers|jams|hits|ones|records|",
    "canciones|cancion|temas|tema|lieder|lied|titel|stucke|songs|chansons|chanson|morceaux|titres|",
    "musicas|musica|cancoes|faixas")

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10,
    "primera": 1, "primero": 1, "segunda": 2, "segundo": 2, "tercera": 3, "tercero": 3,
    "erste": 1, "ersten": 1, "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3,
    "premiere": 1, "premier": 1, "deuxieme": 2, "troisieme": 3, "primeira": 1, "terceira": 3,
}

RESET_PHRASES = _set(
    "start over|reset|restart|start again|start from scratch|from scratch|forget that|forget it|"
    "forget all that|never mind|nevermind|new search|clear|something completely different|"
    "lets start over|scratch that",
    "empezar de nuevo|de nuevo desde cero|desde cero|olvidalo|borra todo",
    "von vorne|neu anfangen|vergiss das|nochmal von vorne",
    "recommencer|on recommence|oublie ca|repartir de zero",
    "comecar de novo|recomecar|esquece|do zero")
MORE_PHRASES = _set(
    "more|more please|more of that|more of those|more of this|more like these|more like this|"
    "more like that|more songs|some more|give me more|another|another one|another batch|"
    "keep going|next|next ones|next batch|again|same again|more of the same|similar ones",
    "mas|otra|otras|dame mas|mas canciones|mas asi", "mehr|noch mehr|weitere|nochmal|mehr davon|mehr davon bitte",
    "encore|plus|d autres|la suite|encore plus", "mais|outra|outras|mais musicas|mais assim")
DIFFERENT_ARTIST_PHRASES = _set(
    "different artists|different artist|other artists|new artists|other bands|different bands|"
    "not the same artists|not the same artist|other singers|someone else|different singers|"
    "mix up the artists|vary the artists",
    "otros artistas|artistas diferentes|distintos artistas", "andere kunstler|andere bands|andere interpreten",
    "d autres artistes|autres artistes|artistes differents", "outros artistas|artistas diferentes")
SHOW_SEEN_PHRASES = _set(
    "show seen|including seen|include seen|ones i have seen|ones youve shown|even the ones you showed|"
    "show them again|repeat them")
OLDER_PHRASES = _set(
    "older|older stuff|older songs|older ones|something older|go older|go back further|earlier|"
    "more classic|oldies|older music",
    "mas antiguas|mas antiguo|mas viejas|mas viejo|mas antiguos", "alter|altere|alteres|alteren|alter bitte",
    "plus ancien|plus anciens|plus anciennes|plus vieux|plus vieilles", "mais antigas|mais antigo|mais antigos|mais velhas")
NEWER_PHRASES = _set(
    "newer|newer stuff|newer songs|newer ones|more recent|something newer|more modern|recent|"
    "latest|go newer|modern",
    "mas nuevas|mas nuevo|mas recientes|mas reciente|mas moderno|mas modernas",
    "neuer|neuere|neueres|neueren|aktueller|moderner", "plus recent|plus recents|plus recentes|plus moderne",
    "mais novas|mais novo|mais recentes|mais recente|mais moderno|mais modernas")

# words that introduce a name (artist or title)
BY_CUES = _set("by|from the artist|artist|band|singer|rapper|de|von|par|do|da")
LIKE_CUES = _set(
    "like|similar to|songs like|sounds like|sound like|something like|stuff like|"
    "in the style of|style of|vibe of|vibes of|reminds me of|along the lines of|such as|akin to|"
    "same vibe as|more like|kinda like|kind of like",
    "como|parecido a|parecidas a|parecidos a|similar a|al estilo de|tipo",
    "wie|ahnlich wie|ahnlich|im stil von|so wie", "comme|similaire a|dans le style de|genre|facon",
    "como|parecido com|parecida com|tipo|estilo")
FAN_CUES = _set(
    "i love|i like|i really like|i really love|i enjoy|i dig|fan of|a fan of|big fan of|into|"
    "listen to|listening to|play|put on|some|obsessed with|loved|liked|love|favorite|favourite|"
    "fans of|recommend|me gusta|me encanta|ich mag|ich liebe|j aime|j adore|eu gosto de|eu amo|"
    "escuchar|horen|ecouter|ouvir|pon|ponme|spiel|mets|toca|coloca")

# "like" that introduces no name
NOT_CUES = _set("feel like|feels like|feeling like|looks like|look like|would like|id like|i would like|"
                "make me feel like|something like this|like this|like that|like these|like those|"
                "like my|like when|like i|like im|like you|like we|like it")

# request language guess: distinctive function words (not shared by English)
LANGUAGE_HINTS: dict[str, frozenset[str]] = {
    "es": _set("algo|canciones|cancion|para|quiero|ponme|dame|que|con|sin|musica|una|unas|los|las|"
               "del|por|favor|mas|años|triste|alegre|fiesta|noche|lluvia|y|el|la|muy|nada|de|como|"
               "tranquilo|tranquila|bailar|llorar|música|canción|ochenta|noventa|español"),
    "de": _set("etwas|lieder|lied|für|fur|ich|will|mit|ohne|kein|keine|nicht|und|der|die|das|zum|"
               "zur|bitte|gib|mir|musik|traurig|fröhlich|ruhige|ruhig|nacht|regen|achtziger|neunziger|"
               "jahre|er|aus|den|mehr|sehr|einschlafen|putzen|deutsch|gute|laune"),
    "fr": _set("quelque|chose|pour|avec|sans|chansons|chanson|musique|je|veux|mets|moi|des|les|"
               "une|un|du|et|pas|de|triste|joyeuse|joyeux|nuit|pluie|années|annees|fête|fete|"
               "soirée|sil|plaît|plait|très|ménage|menage|dormir|français"),
    "pt": _set("músicas|musicas|canções|cancoes|pra|para|com|sem|quero|uma|um|não|nao|você|voce|"
               "algo|anos|triste|alegre|festa|noite|chuva|saudade|faxina|toca|coloca|bota|mais|"
               "dos|das|do|da|oitenta|noventa|português|brasileira|treino|academia"),
}

# Common words that are never a whole artist name on their own without a cue ("play Heart" is
# fine, "a song about my heart" is not), and never fuzzy-match an artist.
COMMON_WORDS = _set(
    "a|about|above|after|again|against|all|also|always|am|america|an|and|angel|angels|another|"
    "any|anyone|are|around|as|ask|at|away|baby|back|bad|be|beautiful|because|bed|been|before|"
    "being|best|better|between|big|black|blue|body|both|boy|boys|bread|break|breathe|bring|"
    "but|by|call|calling|came|can|cant|car|cars|change|chicago|city|clean|close|cold|come|"
    "could|crazy|cream|dance|dark|dawn|day|days|did|do|does|done|dont|down|dream|dreams|drive|"
    "each|easy|edge|else|end|enough|even|ever|every|everything|exile|extreme|eyes|face|fall|"
    "far|feel|feeling|filter|find|fire|first|five|for|forever|free|friend|friends|from|fun|"
    "game|get|girl|girls|give|go|going|gold|gone|good|got|great|had|has|have|he|heart|heat|"
    "heaven|heights|hello|help|her|here|high|him|his|hit|hits|hold|home|hot|house|how|i|if|in|"
    "into|is|it|its|jade|journey|just|kansas|keep|kid|kids|kind|kiss|know|last|late|later|left|"
    "let|life|light|like|little|live|long|look|lost|love|low|made|make|man|many|me|mind|money|"
    "more|most|mountain|much|music|must|my|name|need|never|new|next|nice|night|no|not|nothing|"
    "now|of|off|oh|ok|old|on|once|one|only|or|other|our|out|over|own|people|place|play|player|"
    "please|poison|power|queen|rain|real|red|right|road|rock|run|said|same|say|see|she|should|"
    "show|side|since|sky|so|some|something|song|songs|soul|sound|still|stop|story|street|such|"
    "summer|sun|sure|sweet|take|talk|tell|than|that|the|their|them|then|there|these|they|"
    "thing|things|think|this|those|time|to|today|together|tonight|too|top|train|true|try|"
    "turn|two|under|until|up|us|very|wait|walk|want|was|way|we|well|were|what|when|where|"
    "which|while|white|who|why|wild|will|with|without|woman|world|would|yeah|year|years|yes|"
    "you|young|your|yours|survivor|europe|boston|america|texas|alabama|berlin|low|live|yes|"
    "ok|brick|cameo|dev|five|luke|nelson|oliver|passenger|association|exile|chic|enigma|"
    "player|heart|journey|kiss|poison|bread|cher|ace|delete|drop|table|select|insert|update|"
    "ignore|instructions|instruction|previous|system|prompt|admin|password|token|script|"
    "playlist|playlists|every|everyone|database|union|where|from|null|true|false|hack|"
    "vibes|vibe|beats|beat|bangers|banger|hits|tunes|tracks|stuff|type|kinda|gonna|wanna|"
    "similar|recommend|suggest|artists|artist|bands|band|singer|singers|group|album|albums|"
    "sounds|sound|style|genre|genres|bit|lot|lots|few|couple|way|ways|guys|thanks|thank|"
    "help|anything|anyone|someone|somebody|everybody|know|known|think|favorite|favourite|"
    "listen|listening|hear|heard|looking|look|search|searching|maybe|perhaps|also|kind|sort|"
    "exactly|actually|literally|pretty|quite|rather|really|fan|fans|same|different|new|"
    "old|older|newer|recent|classic|classics|version|cover|covers|remix|remixes|live|acoustic|"
    "instrumental|lyrics|lyric|words|voice|vocals|guitar|piano|drums|bass|production|"
    "emotional|feelings|feels|vibey|spotify|youtube|radio|tiktok|reddit|songs|song|music|"
    "week|weekend|morning|evening|afternoon|work|school|life|today|yesterday|tomorrow|"
    "hey|hi|hello|yo|sup|lol|lmao|omg|idk|tbh|pls|plz|please|thx|ty|ok|okay|sure|yeah|nah|"
    "shit|fuck|fucking|damn|hell|ass|man|dude|bro|sis|mate|buddy|gal|guy")

__all__ = [
    "NEGATION_CUES", "GLUE", "FILLER", "NUMBER_WORDS", "COUNT_NOUNS", "ORDINALS", "RESET_PHRASES",
    "MORE_PHRASES", "DIFFERENT_ARTIST_PHRASES", "SHOW_SEEN_PHRASES", "OLDER_PHRASES",
    "NEWER_PHRASES", "BY_CUES", "LIKE_CUES", "FAN_CUES", "LANGUAGE_HINTS", "COMMON_WORDS",
]
