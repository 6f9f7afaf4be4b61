-- German stop words for `lexis freq --stop de` and lexis.count{stop = "de"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- particles that top every German word list. Old spellings (daß, muß) too.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
  "kein", "keine", "keinen", "keinem", "keiner", "keines", "dieser", "diese", "dieses", "diesen",
  "diesem", "jener", "jene", "jenes", "jenen", "jenem", "jeder", "jede", "jedes", "jeden", "jedem",
  "mancher", "manche", "manches", "manchen", "manchem", "welcher", "welche", "welches", "welchen",
  "welchem", "alle", "allen", "aller", "alles", "beide", "beiden", "einige", "einigen", "einiger",
  "viele", "vielen", "vieler", "wenige", "wenigen", "solche", "solchen", "solcher", "solches",
  "derselbe", "dieselbe", "dasselbe",
  -- personal and reflexive pronouns
  "ich", "mich", "mir", "du", "dich", "dir", "er", "ihn", "ihm", "sie", "es", "wir", "uns", "ihr",
  "euch", "ihnen", "man", "sich", "selbst",
  -- possessives
  "mein", "meine", "meinen", "meinem", "meiner", "meines", "dein", "deine", "deinen", "deinem",
  "deiner", "deines", "sein", "seine", "seinen", "seinem", "seiner", "seines", "ihre", "ihren",
  "ihrem", "ihrer", "ihres", "unser", "unsere", "unseren", "unserem", "unserer", "unseres", "euer",
  "eure", "euren", "eurem", "eurer", "eures",
  -- question and relative words
  "wer", "wen", "wem", "wessen", "was", "wo", "wie", "warum", "wann", "woher", "wohin", "womit",
  "wodurch", "worin", "worauf", "worüber",
  -- prepositions and their contractions
  "an", "am", "ans", "auf", "aus", "bei", "beim", "bis", "durch", "für", "gegen", "hinter", "in",
  "im", "ins", "mit", "nach", "neben", "ohne", "seit", "über", "um", "unter", "von", "vom", "vor",
  "während", "wegen", "zu", "zum", "zur", "zwischen", "trotz", "statt", "außer", "gegenüber",
  -- conjunctions
  "und", "oder", "aber", "denn", "sondern", "doch", "dass", "daß", "ob", "weil", "wenn", "als",
  "da", "damit", "obwohl", "bevor", "nachdem", "sodass", "sowie", "sowohl", "weder", "noch",
  "entweder", "falls",
  -- sein, haben, werden and the modals
  "bin", "bist", "ist", "sind", "seid", "war", "warst", "waren", "wart", "gewesen", "wäre", "wären",
  "haben", "habe", "hast", "hat", "habt", "hatte", "hattest", "hatten", "hattet", "gehabt", "hätte",
  "hätten", "werden", "werde", "wirst", "wird", "werdet", "wurde", "wurden", "worden", "würde",
  "würden", "geworden", "können", "kann", "kannst", "könnt", "konnte", "konnten", "könnte",
  "könnten", "müssen", "muss", "muß", "musst", "müsst", "musste", "mussten", "müsste", "sollen",
  "soll", "sollst", "sollt", "sollte", "sollten", "wollen", "will", "willst", "wollt", "wollte",
  "wollten", "dürfen", "darf", "durfte", "mögen", "mag", "möchte", "möchten",
  -- adverbs and particles
  "nicht", "auch", "nur", "schon", "sehr", "so", "dann", "hier", "dort", "nun", "jetzt", "immer",
  "wieder", "ja", "nein", "mehr", "dabei", "dafür", "dazu", "darauf", "daran", "darin", "davon",
  "dagegen", "daher", "deshalb", "also", "etwa", "eben", "gar", "ganz", "zwar", "sonst", "bereits",
  "etwas", "nichts",
}
