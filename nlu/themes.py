"""Themes and imagery (what a song is about) and scenes / activities (what the listener is doing),
with their trigger words in English, Spanish, German, French and Portuguese.

Theme names agree with retrieval.describe.THEMES. Words are folded like the parser's text
(lower case, no accents, hyphens as spaces).
"""
from __future__ import annotations

from dataclasses import dataclass


def _words(*groups: str) -> tuple[str, ...]:
    return tuple(w.strip() for g in groups for w in g.split("|") if w.strip())


# theme -> trigger words (en | es | de | fr | pt)
THEMES: dict[str, tuple[str, ...]] = {
    "rain": _words("rain|rainy|raining|rainfall|storm|stormy|storms|thunder|thunderstorm|drizzle|"
                   "showers|downpour", "lluvia|lluvioso|lluviosa|llueve|tormenta",
                   "regen|regnerisch|regnerischen|regnet|gewitter", "pluie|pluvieux|pluvieuse|orage",
                   "chuva|chuvoso|chuvosa|chovendo|tempestade"),
    "night": _words("night|nights|tonight|midnight|late night|nighttime|night time|moonlight|"
                    "moonlit|after dark|3am|2am|4am|wee hours|starry",
                    "noche|noches|medianoche|nocturno|nocturna", "nacht|nachts|nachte|mitternacht",
                    "nuit|nuits|nocturne|minuit", "noite|noites|madrugada|noturno|noturna"),
    "summer": _words("summer|summertime|summery|sunshine|sun|sunny day|beach|beaches|heatwave|"
                     "pool party|tropical|vacation|holiday|holidays",
                     "verano|veraniego|veraniega|playa|sol", "sommer|sommerlich|strand|sonne|urlaub",
                     "ete|estival|estivale|plage|soleil|vacances", "verao|praia|sol|ferias"),
    "winter": _words("winter|wintery|wintry|snow|snowy|snowing|christmas|xmas|december|cold|"
                     "freezing|frost|frosty|fireplace",
                     "invierno|nieve|navidad|navideno|navidena|frio", "winter|schnee|weihnachten|kalt|winterlich",
                     "hiver|neige|noel|froid|hivernal", "inverno|neve|natal|frio|natalino"),
    "road": _words("road|roads|highway|highways|freeway|open road|long drive|miles|interstate|"
                   "on the road|route 66|journey|travel|traveling|travelling",
                   "carretera|camino|ruta|viaje|viajar", "strasse|autobahn|reise|unterwegs",
                   "route|autoroute|voyage|voyager", "estrada|rodovia|viagem|viajar"),
    "city": _words("city|cities|city lights|downtown|urban|streets|metropolis|skyline|big city|"
                   "new york|nyc|los angeles|paris|london",
                   "ciudad|calles|urbano|urbana", "stadt|grossstadt|strassen|urban",
                   "ville|villes|urbain|urbaine|rues", "cidade|cidades|urbano|urbana|ruas"),
    "sea": _words("sea|ocean|oceans|waves|wave|shore|seaside|coast|sailing|sail|island|islands|surf",
                  "mar|oceano|olas|costa|isla", "meer|ozean|wellen|kuste|insel",
                  "mer|ocean|vagues|cote|ile", "mar|oceano|ondas|costa|ilha"),
    "home": _words("home|homesick|hometown|going home|coming home|family|house|back home",
                   "hogar|casa|familia|volver a casa", "zuhause|heimat|heimweh|familie|nach hause",
                   "maison|foyer|famille|chez moi", "lar|casa|familia|saudade de casa"),
    "childhood": _words("childhood|kid|kids|children|growing up|grow up|when i was young|"
                        "school days|playground|cartoons",
                        "infancia|ninez|ninos|crecer", "kindheit|kinder|aufwachsen",
                        "enfance|enfants|grandir", "infancia|criancas|crescer"),
    "heartbreak": _words("heartbreak|heartbreaks|break up songs|breakup songs|cheating|cheated|"
                         "betrayal|my ex|an ex|ex boyfriend|ex girlfriend|unrequited|goodbye|goodbyes",
                         "ruptura|mi ex|infidelidad|engano|adios", "trennung|mein ex|meine ex|untreue|abschied",
                         "rupture|mon ex|infidelite|adieu", "termino|meu ex|minha ex|traicao|despedida"),
    "love": _words("love|loving|lover|lovers|romance|falling in love|true love|crush|kiss|kisses|"
                   "soulmate|valentine|valentines|relationship|boyfriend|girlfriend|wedding|"
                   "first dance|anniversary",
                   "amor|enamorarse|beso|besos|boda|novio|novia", "liebe|lieben|kuss|hochzeit|freund|freundin",
                   "amour|aimer|bisous|baiser|mariage", "amor|paixao|beijo|beijos|casamento|namorado|namorada"),
    "party": _words("party|parties|partying|club|clubbing|night out|going out|celebration|"
                    "celebrate|celebrating|pregame|pre game|rave|festival",
                    "fiesta|fiestas|fiestero|fiestera|discoteca|antro|rumba|juerga|carrete|celebrar",
                    "party|feiern|feier|fete|disco|club|festival",
                    "fete|fetes|soiree|soirees|boite|faire la fete|celebrer",
                    "festa|festas|balada|role|comemorar|celebrar"),
    "dancing": _words("dance|dancing|dance floor|dancefloor|to dance to|move my body|groove|grooving|"
                      "shake it", "bailar|baile|bailando|bailable|bailables", "tanzen|tanz|tanzflache",
                      "danser|danse|piste de danse", "dancar|danca|dancando"),
    "freedom": _words("freedom|free|liberation|escape|escaping|run away|breaking free|independence|"
                      "wild and free", "libertad|libre|libres|escapar", "freiheit|frei|ausbrechen",
                      "liberte|libre|libres|evasion", "liberdade|livre|livres|fugir"),
    "friendship": _words("friendship|friends|friend|best friend|best friends|bff|buddies|squad|crew",
                         "amistad|amigos|amigas|amigo|amiga", "freundschaft|freunde|kumpel",
                         "amitie|amis|amies|potes|copains", "amizade|amigos|amigas|amigo|amiga|galera"),
    "money": _words("money|cash|rich|wealth|hustle|hustling|ballin|paid|dollars|bling",
                    "dinero|plata|rico|riqueza", "geld|reich|kohle|reichtum",
                    "argent|fric|riche|richesse", "dinheiro|grana|rico|riqueza"),
    "faith": _words("faith|god|jesus|prayer|praying|pray|church|heaven|spiritual|worship|"
                    "religious|hymn|hymns|lord", "fe|dios|jesus|oracion|iglesia|cielo|espiritual",
                    "glaube|gott|gebet|kirche|himmel|spirituell", "foi|dieu|priere|eglise|ciel|spirituel",
                    "fe|deus|oracao|igreja|ceu|espiritual"),
    "war": _words("war|wars|battle|battles|soldier|soldiers|army|fight|fighting|combat|warrior|warriors",
                  "guerra|batalla|soldado|soldados|lucha", "krieg|schlacht|soldat|soldaten|kampf",
                  "guerre|bataille|soldat|soldats|combat", "guerra|batalha|soldado|soldados|luta"),
    "loss": _words("loss|losing someone|lost someone|death|dying|died|passed away|funeral|grief|"
                   "mourning|missing someone|in memory of|rest in peace|rip",
                   "perdida|muerte|luto|funeral|duelo", "verlust|tod|trauer|beerdigung",
                   "perte|mort|deuil|funerailles", "perda|morte|luto|funeral"),
    "memories": _words("memories|memory|remember|remembering|yesterday|old days|the past|"
                       "looking back|back in the day|reminisce",
                       "recuerdos|recuerdo|recordar|pasado", "erinnerungen|erinnerung|vergangenheit",
                       "souvenirs|souvenir|passe|se souvenir", "lembrancas|memorias|lembrar|passado"),
    "morning": _words("morning|mornings|sunrise|dawn|wake up|waking up|breakfast|coffee|early morning",
                      "manana|amanecer|desayuno|cafe", "morgen|morgens|fruhstuck|sonnenaufgang|kaffee",
                      "matin|matinee|reveil|petit dejeuner|lever du soleil", "manha|amanhecer|cafe da manha"),
    "loneliness": _words("loneliness|solitude|isolation|alone at night|no one|nobody",
                         "soledad", "einsamkeit", "solitude", "solidao"),
    "hope": _words("hope|hopes|dreams|dreaming|better tomorrow|believe|new day",
                   "esperanza|suenos", "hoffnung|traume", "espoir|reves", "esperanca|sonhos"),
    "fire": _words("fire|fires|flames|flame|burning|burn|blaze|bonfire|campfire",
                   "fuego|llamas|hoguera", "feuer|flammen|lagerfeuer", "feu|flammes|feu de camp",
                   "fogo|chamas|fogueira"),
    "youth": _words("youth|young|teenage|teen|teenager|teenagers|high school|college|reckless youth|"
                    "young and wild", "juventud|joven|jovenes|adolescente", "jugend|jung|teenager",
                    "jeunesse|jeune|jeunes|ado|ados", "juventude|jovem|jovens|adolescente"),
    "sex": _words("sex|sexual|seduction|desire|lust|bedroom|one night stand",
                  "sexo|deseo|pasion", "sex|lust|verlangen|leidenschaft", "sexe|desir|passion",
                  "sexo|desejo|tesao"),
}


@dataclass(frozen=True)
class Scene:
    name: str
    moods: dict[str, float]        # the moods the scene calls for
    valence: float
    energy: float
    themes: tuple[str, ...]        # themes the scene implies
    words: tuple[str, ...]         # trigger phrases in 5 languages


def _scene(name: str, moods: dict[str, float], valence: float, energy: float, themes: str,
           *word_groups: str) -> Scene:
    return Scene(name, moods, valence, energy, _words(themes), _words(*word_groups))


_SCENE_LIST = [
    _scene("cleaning", {"upbeat": 1.0, "happy": 0.6}, 0.5, 0.6, "",
           "cleaning|cleaning the house|cleaning my room|clean the house|clean my room|chores|"
           "housework|house work|tidying|tidying up|doing the dishes|spring cleaning|vacuuming",
           "limpiar|limpiando|limpieza|limpiar la casa|tareas de la casa", "putzen|aufraumen|hausarbeit|wohnung putzen",
           "menage|faire le menage|nettoyer|ranger", "faxina|limpar|limpeza|limpar a casa|arrumar a casa"),
    _scene("workout", {"energetic": 1.0, "empowering": 0.7}, 0.4, 0.9, "",
           "workout|workouts|work out|working out|gym|lifting|weightlifting|training|exercise|"
           "exercising|crossfit|hiit|spin class|cycling|pump iron",
           "gimnasio|gym|entrenar|entrenamiento|ejercicio|hacer ejercicio",
           "training|fitnessstudio|fitness|trainieren|workout|sport|krafttraining",
           "muscu|musculation|salle de sport|entrainement|sport|faire du sport",
           "academia|treino|malhar|malhacao|exercicio|exercicios"),
    _scene("running", {"energetic": 1.0, "upbeat": 0.6}, 0.4, 0.85, "",
           "running|jogging|go for a run|going for a run|a run|on a run|cardio|marathon|5k",
           "correr|corriendo|trotar", "laufen|joggen|lauf|dauerlauf", "courir|footing|jogging|course a pied",
           "correr|corrida|correndo"),
    _scene("studying", {"calm": 1.0, "peaceful": 0.4}, 0.1, -0.5, "",
           "studying|study|homework|exam|exams|revision|revising|reading|library|study session",
           "estudiar|estudiando|estudio|examen|examenes|tarea|leer",
           "lernen|studieren|hausaufgaben|prufung|prufungen|lesen",
           "etudier|reviser|revisions|devoirs|examen|lire", "estudar|estudando|estudo|prova|provas|ler"),
    _scene("focus", {"calm": 1.0}, 0.1, -0.3, "",
           "focus|focusing|focused|concentrate|concentration|concentrating|deep work|coding|"
           "programming|working|work|at work|office|productive|productivity",
           "concentrarme|concentracion|concentrarse|trabajar|trabajando|programar",
           "konzentrieren|konzentration|arbeiten|arbeit|programmieren",
           "concentrer|concentration|travailler|travail|bosser", "concentrar|concentracao|foco|trabalhar|trabalhando"),
    _scene("falling asleep", {"calm": 1.0, "peaceful": 0.8, "dreamy": 0.4}, 0.2, -0.9, "night",
           "falling asleep|fall asleep|sleep|sleeping|asleep|bedtime|bed time|go to bed|going to bed|"
           "lullaby|lullabies|insomnia|nap|napping|cant sleep",
           "dormir|para dormir|dormirme|conciliar el sueno|sueno|siesta",
           "einschlafen|schlafen|zum einschlafen|schlaflos|nickerchen",
           "dormir|s endormir|pour dormir|sieste|insomnie", "dormir|pra dormir|para dormir|cochilo|insonia"),
    _scene("driving", {"upbeat": 0.6, "happy": 0.4}, 0.3, 0.4, "road",
           "driving|drive|car ride|in the car|commute|commuting|cruising|car",
           "manejar|conducir|manejando|conduciendo|en el coche|en el carro|en el auto",
           "autofahren|autofahrt|fahren|im auto|pendeln", "conduire|en voiture|trajet|rouler",
           "dirigir|dirigindo|no carro|de carro"),
    _scene("night drive", {"dreamy": 0.8, "melancholic": 0.5}, 0.0, 0.1, "road|night",
           "driving at night|night drive|night drives|late night drive|late night driving|"
           "driving late at night|midnight drive|driving through the city at night|drive at night",
           "manejar de noche|conducir de noche", "nachts autofahren|nachtfahrt|nachts fahren",
           "conduire la nuit|rouler la nuit", "dirigir a noite|dirigir de noite"),
    _scene("road trip", {"happy": 0.8, "upbeat": 0.8}, 0.5, 0.5, "road|freedom",
           "road trip|roadtrip|road trips|long drive|long car ride|cross country drive",
           "viaje en carretera|viaje por carretera|roadtrip", "roadtrip|autoreise|road trip",
           "road trip|voyage en voiture|roadtrip", "viagem de carro|pe na estrada|road trip"),
    _scene("dinner date", {"romantic": 1.0, "sensual": 0.5}, 0.6, -0.2, "love",
           "dinner date|date night|romantic dinner|candlelight dinner|candle light dinner|a date|"
           "first date|dinner with my girlfriend|dinner with my boyfriend",
           "cena romantica|una cita|primera cita", "romantisches abendessen|date|erstes date",
           "diner romantique|rendez vous|premier rendez vous|tete a tete",
           "jantar romantico|um encontro|primeiro encontro"),
    _scene("party", {"euphoric": 0.8, "energetic": 0.8}, 0.7, 0.85, "party|dancing",
           "party|house party|partying|pregame|pre game|pregaming|predrinks|pre drinks|clubbing|"
           "night out|going out|birthday party|frat party|rager",
           "fiesta|de fiesta|carrete|pachanga|rumba|antro|perreo",
           "party|feiern|fete|abfeiern|hausparty|partymusik|partylieder", "fete|soiree|faire la fete|teuf",
           "festa|balada|role|resenha"),
    _scene("breakup", {"heartbroken": 1.0, "sad": 0.7}, -0.6, -0.2, "heartbreak",
           "breakup|break up|broke up|breaking up|just got dumped|got dumped|after a breakup|"
           "getting over someone|getting over my ex|over my ex|divorce",
           "ruptura|termine con|me dejo|me dejaron|mi ex|despecho", "trennung|schluss gemacht|verlassen worden",
           "rupture|largue|larguee|mon ex|separation", "termino|terminei|levei um fora|fim de namoro|separacao"),
    _scene("rainy day", {"melancholic": 0.8, "calm": 0.6}, -0.1, -0.4, "rain",
           "rainy day|rainy days|rainy afternoon|rainy sunday|rainy morning|rainy weather|rain day",
           "dia lluvioso|dia de lluvia|tarde lluviosa", "regentag|regnerischer tag|verregneter tag|regenwetter",
           "jour de pluie|journee pluvieuse|temps pluvieux", "dia chuvoso|dia de chuva|tarde chuvosa"),
    _scene("sunday morning", {"relaxed": 1.0, "happy": 0.5}, 0.5, -0.3, "morning",
           "sunday morning|lazy sunday|slow morning|weekend morning|sunday brunch|brunch|lazy morning",
           "domingo por la manana|domingo en la manana|domingo tranquilo",
           "sonntagmorgen|sonntag morgen|sonntagsfruhstuck|fauler sonntag", "dimanche matin|grasse matinee",
           "domingo de manha|domingo preguicoso"),
    _scene("getting ready", {"empowering": 0.8, "upbeat": 0.8}, 0.6, 0.6, "",
           "getting ready|get ready|doing my makeup|getting dressed|before going out",
           "arreglarme|arreglandome|prepararme", "fertig machen|mich fertig machen|styling",
           "se preparer|me preparer", "me arrumar|me arrumando|se arrumar"),
    _scene("cooking", {"happy": 0.7, "relaxed": 0.6}, 0.5, 0.1, "",
           "cooking|cook|making dinner|in the kitchen|baking|bake",
           "cocinar|cocinando|hacer la cena", "kochen|backen|in der kuche", "cuisiner|cuisine|faire a manger",
           "cozinhar|cozinhando|fazer o jantar"),
    _scene("meditation", {"peaceful": 1.0, "calm": 0.8}, 0.4, -0.8, "",
           "meditation|meditate|meditating|yoga|mindfulness|breathing|breathwork|stretching|spa",
           "meditar|meditacion|yoga", "meditation|meditieren|yoga|achtsamkeit", "meditation|mediter|yoga",
           "meditacao|meditar|ioga|yoga"),
    _scene("beach", {"happy": 0.8, "relaxed": 0.6}, 0.7, 0.3, "summer|sea",
           "beach day|at the beach|on the beach|for the beach|to the beach|by the pool|pool day|poolside",
           "en la playa|dia de playa", "am strand|strandtag", "a la plage|journee plage", "na praia|dia de praia"),
    _scene("wedding", {"romantic": 1.0, "happy": 0.6}, 0.7, 0.1, "love",
           "wedding|first dance|wedding dance|engagement", "boda|primer baile", "hochzeit|hochzeitstanz",
           "mariage|premiere danse", "casamento|primeira danca"),
    _scene("gaming", {"energetic": 0.8}, 0.2, 0.6, "", "gaming|video games|playing games|game night",
           "jugar videojuegos|videojuegos", "zocken|videospiele", "jeux video|gaming", "jogar videogame|jogos"),
    _scene("walk", {"relaxed": 0.6, "happy": 0.4}, 0.4, 0.0, "",
           "walking|a walk|going for a walk|stroll|walk in the park|hiking|hike",
           "caminar|pasear|paseo|senderismo", "spazieren|spaziergang|wandern", "promenade|marcher|balade|randonnee",
           "caminhar|caminhada|passear|passeio|trilha"),
    _scene("christmas", {"happy": 0.8, "nostalgic": 0.5}, 0.6, 0.1, "winter",
           "christmas party|christmas eve|decorating the tree|holiday season",
           "nochebuena|fiestas navidenas", "heiligabend|adventszeit", "reveillon de noel|fetes de fin d annee",
           "vespera de natal|festas de fim de ano"),
    _scene("sunset", {"dreamy": 0.8, "nostalgic": 0.5}, 0.3, -0.3, "summer",
           "sunset|golden hour|watching the sunset|dusk", "atardecer|puesta de sol", "sonnenuntergang|abendrot",
           "coucher de soleil|crepuscule", "por do sol|entardecer"),
    _scene("moving on", {"empowering": 1.0, "hopeful": 0.8}, 0.4, 0.5, "heartbreak",
           "moving on|move on|getting over it|over him|over her|glow up|new me",
           "superar|seguir adelante", "weitermachen|daruber hinweg", "passer a autre chose|tourner la page",
           "seguir em frente|superar"),
    _scene("grief", {"sad": 1.0, "melancholic": 0.5}, -0.7, -0.5, "loss",
           "grieving|mourning|funeral|lost my dad|lost my mom|lost my mother|lost my father|lost a friend|"
           "passed away|in memory", "luto|duelo|funeral", "trauer|beerdigung|trauern", "deuil|funerailles|enterrement",
           "luto|funeral|velorio"),
]

SCENES: dict[str, Scene] = {s.name: s for s in _SCENE_LIST}

__all__ = ["THEMES", "SCENES", "Scene"]
