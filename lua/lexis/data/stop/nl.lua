-- Dutch stop words for `lexis freq --stop nl` and lexis.count{stop = "nl"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- adverbs that top every Dutch word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "de", "het", "een", "deze", "dit", "die", "dat", "geen", "elk", "elke", "ieder", "iedere", "alle",
  "al", "sommige", "enkele", "veel", "weinig", "zulk", "zulke", "welk", "welke",
  -- pronouns
  "ik", "mij", "me", "mijn", "jij", "je", "jou", "jouw", "u", "uw", "hij", "hem", "zijn", "zij",
  "ze", "haar", "wij", "we", "ons", "onze", "jullie", "hun", "hen", "zich", "zelf", "men", "wie",
  "wat", "waar",
  -- prepositions
  "aan", "bij", "door", "in", "op", "uit", "van", "voor", "met", "naar", "om", "over", "onder",
  "tot", "tegen", "tussen", "zonder", "na", "achter", "naast", "sinds", "volgens",
  -- conjunctions
  "en", "of", "maar", "want", "dus", "omdat", "als", "dan", "toen", "terwijl", "hoewel", "zodat",
  "doordat",
  -- zijn, hebben, worden and the modals
  "ben", "bent", "is", "was", "waren", "geweest", "wees", "hebben", "heb", "hebt", "heeft", "had",
  "hadden", "gehad", "worden", "word", "wordt", "werd", "werden", "geworden", "kan", "kunnen",
  "kon", "konden", "zal", "zullen", "zou", "zouden", "moet", "moeten", "moest", "mag", "mogen",
  "wil", "willen", "wilde",
  -- adverbs and particles
  "niet", "ook", "nog", "wel", "zo", "er", "hier", "daar", "nu", "meer", "zeer", "heel", "erg",
  "alleen", "altijd", "nooit", "even", "reeds", "weer",
}
