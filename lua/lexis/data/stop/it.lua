-- Italian stop words for `lexis freq --stop it` and lexis.count{stop = "it"}:
-- the articles and their contractions with prepositions, pronouns,
-- conjunctions, auxiliaries and adverbs that top every Italian word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "questo", "questa", "questi", "queste",
  "quello", "quella", "quelli", "quelle", "quel", "quei", "mio", "mia", "miei", "mie", "tuo", "tua",
  "tuoi", "tue", "suo", "sua", "suoi", "sue", "nostro", "nostra", "nostri", "nostre", "vostro",
  "vostra", "vostri", "vostre", "loro", "ogni", "tutto", "tutta", "tutti", "tutte", "altro",
  "altra", "altri", "altre", "stesso", "stessa", "stessi", "stesse", "alcuni", "alcune", "nessuno",
  "nessuna",
  -- prepositions and their contractions
  "di", "a", "da", "in", "con", "su", "per", "tra", "fra", "del", "dello", "della", "dei", "degli",
  "delle", "al", "allo", "alla", "ai", "agli", "alle", "dal", "dallo", "dalla", "dai", "dagli",
  "dalle", "nel", "nello", "nella", "nei", "negli", "nelle", "col", "sul", "sullo", "sulla", "sui",
  "sugli", "sulle",
  -- pronouns
  "io", "me", "mi", "tu", "te", "ti", "lui", "lei", "egli", "ella", "esso", "essa", "noi", "ci",
  "ve", "vi", "voi", "essi", "esse", "si", "sé", "ne", "che", "chi", "cui", "quale", "quali",
  "cosa",
  -- conjunctions
  "e", "ed", "o", "od", "ma", "però", "anche", "se", "perché", "quando", "come", "mentre", "dove",
  "né", "oppure", "quindi", "dunque",
  -- essere, avere
  "essere", "sono", "sei", "è", "siamo", "siete", "era", "erano", "ero", "eri", "stato", "stata",
  "stati", "state", "sarà", "saranno", "sarebbe", "sia", "siano", "fu", "furono", "avere", "ho",
  "hai", "ha", "abbiamo", "avete", "hanno", "aveva", "avevano", "avuto", "avrà", "avrebbe", "abbia",
  -- adverbs
  "non", "più", "molto", "poco", "già", "ancora", "sempre", "mai", "qui", "qua", "lì", "là", "così",
  "solo", "ora", "poi", "tanto", "troppo", "proprio",
}
