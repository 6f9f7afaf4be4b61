-- Norwegian (Bokmål) stop words for `lexis freq --stop no` and lexis.count{stop = "no"}:
-- the articles, pronouns, prepositions, conjunctions,
-- auxiliaries and adverbs that top every Norwegian (Bokmål) word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "en", "ei", "et", "den", "det", "de", "denne", "dette", "disse", "all", "alle", "alt", "hver",
  "hvert", "noen", "noe", "ingen", "intet", "slik", "slikt", "slike", "samme", "annen", "annet",
  "andre", "hvilken", "hvilket", "hvilke",
  -- pronouns
  "jeg", "meg", "du", "deg", "han", "ham", "hun", "henne", "vi", "oss", "dere", "dem", "seg", "min",
  "mitt", "mine", "din", "ditt", "dine", "hans", "hennes", "dens", "dets", "vår", "vårt", "våre",
  "deres", "sin", "sitt", "sine", "man", "som", "hvem", "hva",
  -- prepositions
  "i", "på", "av", "til", "fra", "med", "for", "om", "under", "over", "ved", "etter", "før", "mot",
  "uten", "gjennom", "hos", "mellom", "blant",
  -- conjunctions
  "og", "eller", "men", "at", "så", "hvis", "når", "da", "fordi", "mens", "enn",
  -- være, ha, bli and the modals
  "er", "var", "vært", "være", "har", "hadde", "hatt", "ha", "blir", "ble", "blitt", "bli", "kan",
  "kunne", "skal", "skulle", "vil", "ville", "må", "måtte", "får", "fikk",
  -- adverbs
  "ikke", "også", "bare", "allerede", "ennå", "her", "der", "nå", "mye", "mer", "mest", "aldri",
  "alltid", "jo", "nok", "vel",
}
