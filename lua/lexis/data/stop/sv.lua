-- Swedish stop words for `lexis freq --stop sv` and lexis.count{stop = "sv"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- adverbs that top every Swedish word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "en", "ett", "den", "det", "de", "denna", "detta", "dessa", "all", "alla", "allt", "varje",
  "någon", "något", "några", "ingen", "inget", "inga", "sådan", "sådant", "sådana", "samma",
  "annan", "annat", "andra", "vilken", "vilket", "vilka",
  -- pronouns
  "jag", "mig", "mej", "du", "dig", "dej", "han", "honom", "hon", "henne", "vi", "oss", "ni", "er",
  "dem", "sig", "min", "mitt", "mina", "din", "ditt", "dina", "hans", "hennes", "dess", "vår",
  "vårt", "våra", "ert", "era", "deras", "sin", "sitt", "sina", "man", "som", "vem", "vad",
  -- prepositions
  "i", "på", "av", "till", "från", "med", "för", "om", "under", "över", "vid", "efter", "före",
  "mot", "utan", "genom", "hos", "mellan", "bland",
  -- conjunctions
  "och", "eller", "men", "att", "så", "när", "då", "eftersom", "medan", "innan",
  -- vara, ha, bli and the modals
  "är", "var", "varit", "vara", "vore", "har", "hade", "haft", "ha", "blir", "blev", "blivit",
  "bli", "kan", "kunde", "kunnat", "ska", "skall", "skulle", "vill", "ville", "må", "måste", "får",
  "fick",
  -- adverbs
  "inte", "icke", "också", "bara", "redan", "ännu", "här", "där", "nu", "sedan", "mycket", "mer",
  "mest", "väl", "aldrig", "alltid", "ju", "nog",
}
