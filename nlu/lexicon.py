"""Mood vocabulary of the request parser: each mood with its valence/energy point, a Plutchik
profile, and the words (English synonyms and inflections, Spanish, German, French, Portuguese)
that ask for it.

Words are written the way the parser sees text: lower case, accents folded ("triste", "frohlich",
"melancolique"), hyphens as spaces. Retrieval reads `MOODS[name].valence / .energy / .plutchik`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PLUTCHIK = ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation")


@dataclass(frozen=True)
class MoodInfo:
    name: str
    valence: float                      # -1 (sad, negative) .. 1 (happy)
    energy: float                       # -1 (calm) .. 1 (intense)
    plutchik: dict[str, float]          # all 8 Plutchik emotions, 0..1
    words: tuple[str, ...]              # English words/phrases asking for this mood
    foreign: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> words


def _profile(**weights: float) -> dict[str, float]:
    unknown = set(weights) - set(PLUTCHIK)
    if unknown:
        raise ValueError(f"not Plutchik emotions: {sorted(unknown)}")
    return {e: float(weights.get(e, 0.0)) for e in PLUTCHIK}


def _mood(name: str, valence: float, energy: float, plutchik: dict[str, float], en: str,
          es: str = "", de: str = "", fr: str = "", pt: str = "") -> MoodInfo:
    def split(s: str) -> tuple[str, ...]:
        return tuple(w.strip() for w in s.split("|") if w.strip())

    foreign = {lang: split(ws) for lang, ws in (("es", es), ("de", de), ("fr", fr), ("pt", pt)) if ws}
    return MoodInfo(name, valence, energy, plutchik, (name,) + split(en), foreign)


# Values agree with retrieval.describe.SONG_MOODS where both name a mood.
_MOOD_LIST = [
    _mood("happy", 0.7, 0.4, _profile(joy=0.9, trust=0.4, anticipation=0.3),
          "happiness|happiest|joyful|joy|joyous|cheerful|cheery|glad|good mood|feel good|"
          "feelgood|feel good vibes|good vibes|positive|sunny|bright|carefree|fun|jolly|merry",
          "feliz|felices|alegre|alegres|alegria|contento|contenta|buen rollo|buena onda",
          "frohlich|frohliche|frohliches|glucklich|gluckliche|froh|heiter|gute laune|gut gelaunt",
          "heureux|heureuse|heureuses|joyeux|joyeuse|gai|gaie|joie|bonne humeur",
          "feliz|felizes|alegre|alegres|alegria|contente|bom humor|alto astral"),
    _mood("sad", -0.7, -0.4, _profile(sadness=0.9, fear=0.1, joy=0.0),
          "sadness|saddest|unhappy|depressed|depressing|depression|down|blue|gloomy|"
          "sorrow|sorrowful|tearjerker|tearjerkers|tear jerker|cry|crying|to cry to|weep|weeping|"
          "tears|miserable|somber|sombre|downer|mournful|grief|grieving|heavy hearted|low",
          "triste|tristes|tristeza|llorar|deprimido|deprimida|deprimente|deprimentes|melancolia triste",
          "traurig|traurige|trauriges|traurigen|trauer|weinen|deprimiert|deprimierend",
          "triste|tristes|tristesse|pleurer|deprime|deprimee|deprimant|deprimante",
          "triste|tristes|tristeza|chorar|deprimido|deprimida|deprimente|sofrencia"),
    _mood("nostalgic", 0.1, -0.3, _profile(sadness=0.4, joy=0.4, trust=0.3, anticipation=0.1),
          "nostalgia|nostalgically|reminiscent|reminiscing|throwback|throwbacks|sentimental|"
          "wistful|good old days|old times|memory lane|retro|wistfully",
          "nostalgico|nostalgica|nostalgicos|nostalgicas|nostalgia|recuerdos de antes",
          "nostalgisch|nostalgische|nostalgisches|nostalgie|wehmutig|wehmut|sentimental",
          "nostalgique|nostalgiques|nostalgie|sentimental|sentimentale",
          "nostalgico|nostalgica|nostalgicos|nostalgicas|nostalgia|saudade|saudades|saudosista"),
    _mood("melancholic", -0.4, -0.4, _profile(sadness=0.7, joy=0.1, trust=0.1),
          "melancholy|melancholia|melancholic|moody|brooding|pensive|rainy mood|blue mood|forlorn",
          "melancolico|melancolica|melancolicos|melancolicas|melancolia",
          "melancholisch|melancholische|melancholie|schwermutig",
          "melancolique|melancoliques|melancolie|spleen",
          "melancolico|melancolica|melancolicos|melancolicas|melancolia"),
    _mood("bittersweet", 0.0, -0.3, _profile(joy=0.4, sadness=0.5, trust=0.2),
          "bitter sweet|bittersweetness|happy sad|sad but hopeful|happy but sad",
          "agridulce|agridulces", "bittersuss|bittersusse", "doux amer|douce amere", "agridoce"),
    _mood("dreamy", 0.2, -0.5, _profile(joy=0.4, surprise=0.3, anticipation=0.3, trust=0.2),
          "dreamlike|dream like|ethereal|hazy|floaty|spacey|spacy|atmospheric|trippy|psychedelic|"
          "otherworldly|hypnotic",
          "sonador|sonadora|onirico|onirica", "vertraumt|vertraumte|traumerisch|traumerische",
          "reveur|reveuse|onirique|planant|planante", "sonhador|sonhadora|onirico|onirica"),
    _mood("romantic", 0.6, -0.2, _profile(joy=0.6, trust=0.8, anticipation=0.4),
          "romance|romantically|lovey dovey|love songs|love song|slow dance|slow jam|slow jams|"
          "tender|sweet|affectionate|in love|lovesick",
          "romantico|romantica|romanticos|romanticas|enamorado|enamorada|enamorados",
          "romantisch|romantische|romantisches|verliebt|kuschelrock",
          "romantique|romantiques|amoureux|amoureuse|amoureuses",
          "romantico|romantica|romanticos|romanticas|apaixonado|apaixonada|apaixonados"),
    _mood("hopeful", 0.5, 0.0, _profile(anticipation=0.8, joy=0.5, trust=0.5),
          "hope|hoping|optimistic|optimism|looking forward|brighter days|better days|"
          "new beginning|new beginnings|fresh start",
          "esperanza|esperanzador|esperanzadora|optimista", "hoffnungsvoll|hoffnung|optimistisch|zuversichtlich",
          "plein d espoir|espoir|optimiste", "esperanca|esperancoso|esperancosa|otimista"),
    _mood("empowering", 0.5, 0.6, _profile(joy=0.5, trust=0.6, anticipation=0.6, anger=0.1),
          "empowered|empowerment|motivating|motivational|motivation|inspiring|confident|confidence|"
          "badass|girl power|boss|fierce|self love|pump me up|pumped|pumped up|hyped|triumphant|"
          "victorious|unstoppable|powerful|strong",
          "empoderador|empoderadora|empoderamiento|motivador|motivadora|motivacion|poderoso",
          "motivierend|motivierende|kraftvoll|kraftvolle|selbstbewusst|stark",
          "motivant|motivante|motivation|puissant|puissante|confiance",
          "motivacional|motivador|motivadora|empoderamento|poderoso|poderosa|confiante"),
    _mood("calm", 0.3, -0.7, _profile(trust=0.6, joy=0.3),
          "calming|calmest|soothing|gentle|tranquil|serene|"
          "mellow|low key|lowkey|laid back|laidback|easy listening|unwind|"
          "wind down|winding down",
          "tranquilo|tranquila|tranquilos|tranquilas|calma|calmado|calmada|suave|suaves|lento|lenta",
          "ruhig|ruhige|ruhiges|ruhigen|ruhiger|sanft|sanfte|gelassen|langsam|langsame",
          "calme|calmes|tranquille|tranquilles|doux|douce|lent|lente|apaisant|apaisante",
          "calmo|calma|calmos|calmas|tranquilo|tranquila|tranquilos|tranquilas|suave|suaves|lento|lenta"),
    _mood("relaxed", 0.4, -0.6, _profile(joy=0.4, trust=0.6),
          "relax|relaxing|relaxation|relaxed|unwinding|easygoing|easy going|lazy|cozy|cosy|comfy",
          "relajado|relajada|relajante|relajantes|relajarme|relajarse|relax",
          "entspannt|entspannte|entspannend|entspannende|entspannen|gemutlich|chillen",
          "relaxant|relaxante|relaxantes|detendu|detente|cosy",
          "relaxante|relaxantes|relaxar|relaxado|relaxada|aconchegante"),
    _mood("chill", 0.3, -0.4, _profile(joy=0.4, trust=0.5),
          "chilled|chill out|chillout|chilling|chillin|chillax|vibey|vibes|vibing|easy vibes",
          "chill|tranqui|chilleo", "chillig|chillige|lassig|chill", "chill|cool|pose|posee",
          "chill|de boa|tranquilao|suavinho"),
    _mood("peaceful", 0.5, -0.6, _profile(trust=0.7, joy=0.5),
          "peace|peacefully|harmonious|zen|restful|stillness",
          "pacifico|pacifica|paz|sereno|serena", "friedlich|friedliche|frieden|besinnlich",
          "paisible|paisibles|serein|sereine|paix|zen", "pacifico|pacifica|paz|sereno|serena"),
    _mood("playful", 0.5, 0.4, _profile(joy=0.7, surprise=0.4, anticipation=0.3),
          "silly|goofy|quirky|cheeky|whimsical|lighthearted|light hearted|funny|fun loving|bouncy",
          "divertido|divertida|divertidos|divertidas|jugueton|juguetona|gracioso",
          "verspielt|verspielte|lustig|lustige|witzig",
          "ludique|amusant|amusante|amusantes|drole|droles|rigolo",
          "divertido|divertida|divertidos|divertidas|brincalhao|engracado"),
    _mood("upbeat", 0.5, 0.7, _profile(joy=0.7, anticipation=0.5),
          "up beat|peppy|bouncy|lively|catchy|bops|bop|bangers|banger|groovy|funky|danceable|"
          "uptempo|up tempo|feel good beats|energizing|energising",
          "animado|animada|animados|animadas|movido|movida|movidas|marchosa|pegadizo|pegadiza",
          "beschwingt|beschwingte|flott|flotte|tanzbar|tanzbare|schwungvoll|mitreissend",
          "entrainant|entrainante|entrainants|entrainantes|rythme|rythmee|dansant|dansante",
          "animado|animada|animados|animadas|agitado|agitada|dancante|dancantes|pra cima"),
    _mood("energetic", 0.3, 0.9, _profile(anticipation=0.7, joy=0.5, anger=0.1, surprise=0.2),
          "energy|energized|energised|high energy|intense|hype|hyped up|adrenaline|"
          "fast paced|rowdy|wild|explosive|hard hitting|powerful beats|get pumped|turnt|turn up",
          "energico|energica|energicos|energicas|energia|con energia|intenso|intensa|potente",
          "energisch|energiegeladen|energiegeladene|power|intensiv|laut|kraftig",
          "energique|energiques|dynamique|dynamiques|intense|puissant",
          "energico|energica|energicos|energicas|energia|intenso|intensa|pesado|pesada"),
    _mood("euphoric", 0.8, 0.8, _profile(joy=1.0, surprise=0.4, anticipation=0.6),
          "euphoria|ecstatic|elated|blissful|bliss|on top of the world|exhilarating|ecstasy",
          "euforico|euforica|euforia|extasis", "euphorisch|euphorische|euphorie|ekstatisch",
          "euphorique|euphoriques|euphorie|extase", "euforico|euforica|euforia|extase"),
    _mood("uplifting", 0.7, 0.4, _profile(joy=0.8, trust=0.5, anticipation=0.5),
          "uplift|uplifted|heartwarming|heart warming|encouraging|inspirational|life affirming|"
          "pick me up|cheer me up|cheer up|mood booster|mood boost",
          "inspirador|inspiradora|edificante|animarme|levantar el animo",
          "aufbauend|aufbauende|aufmunternd|erhebend|inspirierend",
          "inspirant|inspirante|edifiant|reconfortant|remonter le moral",
          "inspirador|inspiradora|edificante|levantar o astral|me animar"),
    _mood("lonely", -0.6, -0.5, _profile(sadness=0.8, fear=0.3),
          "lonesome|alone|isolated|solitary|by myself|on my own|abandoned",
          "soledad|solitario|solitaria|solito|solita", "einsam|einsame|einsamkeit|allein",
          "solitude|solitaire|isole|isolee|seul au monde", "sozinho|sozinha|solidao|solitario|solitaria"),
    _mood("heartbroken", -0.8, -0.1, _profile(sadness=0.9, anger=0.3, fear=0.2, disgust=0.1),
          "heart broken|brokenhearted|broken hearted|broken heart|heartache|heartaches|heartbroke|"
          "crushed|devastated|gutted|dumped|lovesick blues",
          "desamor|despecho|corazon roto|corazon partido|desengano",
          "liebeskummer|herzschmerz|gebrochenes herz|herzbruch",
          "coeur brise|chagrin d amour|peine de coeur|le coeur brise",
          "coracao partido|dor de cotovelo|fossa|sofrencia|coracao quebrado"),
    _mood("angry", -0.7, 0.7, _profile(anger=0.9, disgust=0.4),
          "anger|angriest|mad|furious|rage|raging|pissed|pissed off|fuming|livid|hateful|"
          "frustrated|frustration|annoyed|bitter|spiteful|vengeful|revenge",
          "enojado|enojada|enfadado|enfadada|rabia|furioso|furiosa|ira|coraje|cabreado",
          "wutend|wutende|wut|zornig|zorn|sauer|verargert",
          "en colere|colere|enerve|enervee|furieux|furieuse|rage|rageux",
          "raiva|com raiva|bravo|brava|irritado|irritada|furioso|furiosa|puto|puta"),
    _mood("aggressive", -0.5, 0.9, _profile(anger=0.8, anticipation=0.3, disgust=0.2),
          "aggression|aggressively|brutal|savage|hard hitting|hardcore|violent|fierce beats|headbang|"
          "headbanging|mosh|moshing|thrashing|harsh|abrasive",
          "agresivo|agresiva|agresivos|agresivas|brutal|duro|dura",
          "aggressiv|aggressive|brutal|hart|harte|heftig",
          "agressif|agressive|agressifs|brutal|brutale|violent",
          "agressivo|agressiva|agressivos|agressivas|brutal|pesadao"),
    _mood("dark", -0.5, 0.3, _profile(fear=0.6, sadness=0.4, disgust=0.2, anger=0.2),
          "darkest|darkness|sinister|ominous|gothic|goth|haunting|eerie|creepy|spooky|"
          "menacing|brooding dark|grim|bleak|edgy|noir",
          "oscuro|oscura|oscuros|oscuras|sombrio|sombria|tenebroso",
          "duster|dustere|dusteres|dunkel|dunkle|dunkles|finster|unheimlich",
          "sombre|sombres|obscur|obscure|tenebreux|lugubre",
          "sombrio|sombria|escuro|escura|sinistro|sinistra|tenebroso"),
    _mood("anxious", -0.4, 0.5, _profile(fear=0.8, anticipation=0.5, sadness=0.2),
          "anxiety|nervous|nervy|tense|tension|restless|uneasy|stressed|stressful|worried|"
          "panic|paranoid|on edge|suspenseful|suspense",
          "ansioso|ansiosa|ansiedad|nervioso|nerviosa|estresado|estresada",
          "angstlich|nervos|nervose|unruhig|gestresst|angst",
          "anxieux|anxieuse|angoisse|angoissee|nerveux|nerveuse|stresse",
          "ansioso|ansiosa|ansiedade|nervoso|nervosa|estressado|estressada"),
    _mood("sensual", 0.4, 0.0, _profile(joy=0.5, trust=0.5, anticipation=0.7),
          "sexy|sultry|seductive|steamy|sensuality|intimate|bedroom|baby making|smooth|silky|"
          "flirty|flirtatious",
          "sensual|sensuales|seductor|seductora|sexy|coqueto", "sinnlich|sinnliche|verfuhrerisch|sexy",
          "sensuel|sensuelle|sensuels|seducteur|sexy|coquin", "sensual|sensuais|sedutor|sedutora|sexy"),
    _mood("rebellious", -0.2, 0.7, _profile(anger=0.5, anticipation=0.6, disgust=0.3),
          "rebel|rebellion|defiant|angsty|anti establishment|protest|rebels|reckless",
          "rebelde|rebeldes|protesta", "rebellisch|rebellische|aufmupfig|protest",
          "rebelle|rebelles|revolte|contestataire", "rebelde|rebeldes|protesto"),
    _mood("mysterious", -0.1, 0.0, _profile(surprise=0.6, fear=0.4, anticipation=0.5),
          "mystery|mystical|enigmatic|cryptic|mysteriously|cinematic|moody mysterious",
          "misterioso|misteriosa|mistico", "geheimnisvoll|geheimnisvolle|mystisch|mysterios",
          "mysterieux|mysterieuse|mystique", "misterioso|misteriosa|mistico|mistica"),
    _mood("epic", 0.4, 0.8, _profile(anticipation=0.8, joy=0.5, surprise=0.5, trust=0.3),
          "anthem|anthems|anthemic|grand|soaring|heroic|majestic|larger than life|stadium|"
          "sing at the top of my lungs|singalong|sing along",
          "epico|epica|epicos|epicas|himno|himnos", "episch|epische|hymne|hymnen",
          "epique|epiques|hymne|hymnes", "epico|epica|epicos|epicas|hino|hinos"),
]

MOODS: dict[str, MoodInfo] = {m.name: m for m in _MOOD_LIST}

# Words that move only the energy target (they are not a mood of their own).
ENERGY_WORDS: dict[str, float] = {
    "slow": -0.6, "slower": -0.6, "fast": 0.7, "faster": 0.7, "loud": 0.6, "quiet": -0.7,
    "soft": -0.6, "heavy": 0.7, "heavier": 0.7, "hard": 0.6, "harder": 0.6, "acoustic": -0.4,
    "ambient": -0.7, "instrumental": -0.2, "unplugged": -0.4, "ballad": -0.5, "ballads": -0.5,
}


# Comparatives: word -> (valence direction, energy direction). "more <mood>" / "less <mood>" are
# derived from MOODS by `mood_direction`.
COMPARATIVES: dict[str, tuple[int, int]] = {
    "happier": (1, 0), "cheerier": (1, 0), "brighter": (1, 0), "sunnier": (1, 0),
    "more positive": (1, 0), "less depressing": (1, 0), "less dark": (1, 0),
    "sadder": (-1, 0), "darker": (-1, 0), "gloomier": (-1, 0), "moodier": (-1, 0),
    "more depressing": (-1, 0), "less happy": (-1, 0), "less cheerful": (-1, 0),
    "calmer": (0, -1), "mellower": (0, -1), "softer": (0, -1), "slower": (0, -1),
    "quieter": (0, -1), "chiller": (0, -1), "gentler": (0, -1), "more relaxed": (0, -1),
    "tone it down": (0, -1), "slow it down": (0, -1), "less intense": (0, -1),
    "less energetic": (0, -1), "less energy": (0, -1), "less loud": (0, -1),
    "more energy": (0, 1), "more energetic": (0, 1), "livelier": (0, 1), "faster": (0, 1),
    "louder": (0, 1), "heavier": (0, 1), "harder": (0, 1), "more intense": (0, 1),
    "pick it up": (0, 1), "speed it up": (0, 1), "turn it up": (0, 1),
    "more upbeat": (1, 1),   # upbeat = cheerful and lively: after "sad 80s songs", less sad too
    "more hype": (0, 1), "more bangers": (0, 1), "angrier": (-1, 1),
    # es / de / fr / pt
    "mas alegre": (1, 0), "mas feliz": (1, 0), "menos triste": (1, 0), "mas triste": (-1, 0),
    "mas tranquilo": (0, -1), "mas tranquila": (0, -1), "mas lento": (0, -1),
    "mas movido": (0, 1), "mas animado": (0, 1), "con mas energia": (0, 1), "mas energia": (0, 1),
    "frohlicher": (1, 0), "weniger traurig": (1, 0), "trauriger": (-1, 0), "ruhiger": (0, -1),
    "langsamer": (0, -1), "schneller": (0, 1), "lauter": (0, 1), "mehr energie": (0, 1),
    "plus joyeux": (1, 0), "plus joyeuse": (1, 0), "moins triste": (1, 0), "plus triste": (-1, 0),
    "plus calme": (0, -1), "plus doux": (0, -1), "plus rythme": (0, 1), "plus energique": (0, 1),
    "mais alegre": (1, 0), "mais feliz": (1, 0), "mais triste": (-1, 0),
    "mais calmo": (0, -1), "mais calma": (0, -1), "mais tranquilo": (0, -1),
    "mais animado": (0, 1), "mais agitado": (0, 1), "mais energia": (0, 1),
}


def mood_direction(name: str) -> tuple[int, int]:
    """Which way "more <mood>" moves (valence, energy): along the mood's dominant axis, both axes
    when they are about equal."""
    info = MOODS[name]
    v, e = info.valence, info.energy
    dv = (v > 0) - (v < 0)
    de = (e > 0) - (e < 0)
    if abs(abs(v) - abs(e)) <= 0.1:
        return dv, de
    return (dv, 0) if abs(v) > abs(e) else (0, de)


__all__ = ["MoodInfo", "MOODS", "PLUTCHIK", "ENERGY_WORDS", "COMPARATIVES", "mood_direction"]
