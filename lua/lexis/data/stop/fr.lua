-- French stop words for `lexis freq --stop fr` and lexis.count{stop = "fr"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- adverbs that top every French word list, and the commonest elided forms
-- (c'est, qu'il) with the ASCII apostrophe, which the tokenizer keeps whole.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "le", "la", "les", "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette", "ces", "mon",
  "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur",
  "leurs", "quel", "quelle", "quels", "quelles", "chaque", "tout", "toute", "tous", "toutes",
  "aucun", "aucune", "plusieurs", "certains", "certaines", "même", "mêmes", "autre", "autres",
  -- pronouns
  "je", "me", "moi", "tu", "te", "toi", "il", "elle", "on", "nous", "vous", "ils", "elles", "se",
  "soi", "lui", "eux", "en", "y", "celui", "celle", "ceux", "celles", "ceci", "cela", "ça", "qui",
  "que", "quoi", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles",
  -- prepositions
  "à", "de", "dans", "par", "pour", "sur", "sous", "avec", "sans", "chez", "entre", "vers",
  "contre", "depuis", "pendant", "avant", "après", "devant", "derrière", "selon", "malgré", "parmi",
  -- conjunctions
  "et", "ou", "mais", "donc", "or", "ni", "car", "si", "comme", "quand", "lorsque", "puisque",
  "parce", "quoique", "tandis",
  -- être, avoir and the commonest verbs with them
  "être", "suis", "es", "est", "sommes", "êtes", "sont", "étais", "était", "étions", "étiez",
  "étaient", "été", "sera", "serai", "seras", "serons", "serez", "seront", "serait", "seraient",
  "soit", "soient", "fut", "avoir", "ai", "as", "a", "avons", "avez", "ont", "avais", "avait",
  "avions", "aviez", "avaient", "eu", "aura", "aurai", "auras", "aurons", "aurez", "auront",
  "aurait", "auraient", "ait", "aient", "eut", "fait", "faire", "peut", "pourrait", "doit",
  -- adverbs and particles
  "ne", "pas", "plus", "moins", "très", "trop", "bien", "aussi", "encore", "déjà", "toujours",
  "jamais", "rien", "personne", "non", "oui", "ici", "là", "alors", "ainsi", "puis", "enfin", "peu",
  "beaucoup", "tant", "tellement",
  -- elided forms
  "c'est", "c'était", "qu'il", "qu'elle", "qu'ils", "qu'on", "qu'un", "qu'une", "n'est", "n'a",
  "n'y", "j'ai", "d'un", "d'une", "l'on", "s'il", "s'est",
}
