-- Danish stop words for `lexis freq --stop da` and lexis.count{stop = "da"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- adverbs that top every Danish word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "en", "et", "den", "det", "de", "denne", "dette", "disse", "al", "alle", "alt", "hver", "hvert",
  "nogen", "noget", "nogle", "ingen", "intet", "sådan", "samme", "anden", "andet", "andre",
  "hvilken", "hvilket", "hvilke",
  -- pronouns
  "jeg", "mig", "du", "dig", "han", "ham", "hun", "hende", "vi", "os", "i", "jer", "dem", "sig",
  "min", "mit", "mine", "din", "dit", "dine", "hans", "hendes", "dens", "dets", "vor", "vores",
  "jeres", "deres", "sin", "sit", "sine", "man", "som", "hvem", "hvad",
  -- prepositions
  "på", "af", "til", "fra", "med", "for", "om", "under", "over", "ved", "efter", "før", "mod",
  "uden", "gennem", "hos", "mellem", "blandt",
  -- conjunctions
  "og", "eller", "men", "at", "så", "hvis", "når", "da", "fordi", "mens", "end",
  -- være, have, blive and the modals
  "er", "var", "været", "være", "har", "havde", "haft", "have", "bliver", "blev", "blevet", "blive",
  "kan", "kunne", "skal", "skulle", "vil", "ville", "må", "måtte", "får", "fik",
  -- adverbs
  "ikke", "også", "kun", "allerede", "endnu", "her", "der", "nu", "meget", "mere", "mest", "aldrig",
  "altid", "jo", "nok", "vel",
}
