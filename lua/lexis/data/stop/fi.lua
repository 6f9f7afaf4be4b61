-- Finnish stop words for `lexis freq --stop fi` and lexis.count{stop = "fi"}:
-- the pronouns in their commonest cases, conjunctions, the forms of
-- olla and the negative verb, and the adverbs and postpositions that top every
-- Finnish word list (Finnish marks case with endings: a form is a separate entry).
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- personal pronouns
  "minä", "minun", "minua", "minulla", "minulle", "minusta", "minut", "sinä", "sinun", "sinua",
  "sinulla", "sinulle", "sinut", "hän", "hänen", "häntä", "hänellä", "hänelle", "hänet", "me",
  "meidän", "meitä", "meillä", "meille", "meidät", "te", "teidän", "teitä", "teillä", "teille",
  "teidät", "he", "heidän", "heitä", "heillä", "heille", "heidät",
  -- demonstratives and others
  "tämä", "tämän", "tätä", "tässä", "tästä", "tähän", "tällä", "nämä", "näiden", "näitä", "näissä",
  "se", "sen", "sitä", "siinä", "siitä", "siihen", "sillä", "ne", "niiden", "niitä", "niissä",
  "niistä", "niihin", "tuo", "tuon", "tuota", "joka", "jonka", "jota", "jossa", "josta", "johon",
  "jolla", "jotka", "joiden", "joita", "mikä", "minkä", "mitä", "missä", "mistä", "mihin", "kuka",
  "kenen", "ketä", "kaikki", "kaiken", "kaikkea", "kaikkien", "itse", "oma", "oman",
  -- conjunctions
  "ja", "sekä", "tai", "vai", "mutta", "vaan", "että", "jos", "kun", "koska", "kuin", "jotta",
  "vaikka", "eli",
  -- olla and the negative verb
  "olla", "olen", "olet", "on", "olemme", "olette", "ovat", "oli", "olin", "olit", "olimme",
  "olitte", "olivat", "ollut", "olleet", "olisi", "olisivat", "ole", "en", "et", "ei", "emme",
  "ette", "eivät",
  -- adverbs, postpositions and particles
  "myös", "vain", "jo", "vielä", "nyt", "sitten", "niin", "kuitenkin", "siis", "aina", "paljon",
  "hyvin", "enemmän", "noin", "kanssa", "mukaan", "jälkeen", "ennen", "aikana", "yli", "ilman",
}
