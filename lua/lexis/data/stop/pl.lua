-- Polish stop words for `lexis freq --stop pl` and lexis.count{stop = "pl"}:
-- the prepositions, conjunctions, particles, pronouns and forms of być
-- that top every Polish word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- prepositions
  "w", "we", "na", "z", "ze", "do", "od", "o", "u", "za", "po", "przez", "przy", "pod", "nad",
  "przed", "dla", "bez", "między", "wśród", "ku",
  -- conjunctions
  "i", "a", "oraz", "lub", "albo", "ale", "lecz", "czy", "że", "żeby", "aby", "bo", "ponieważ",
  "gdy", "kiedy", "jeśli", "jeżeli", "więc", "jednak", "ani",
  -- particles
  "nie", "się", "też", "także", "tylko", "już", "jeszcze", "nawet", "by", "tak", "no", "właśnie",
  "chyba",
  -- pronouns
  "ja", "mnie", "mi", "mną", "ty", "ciebie", "cię", "tobie", "ci", "tobą", "on", "jego", "go",
  "niego", "jemu", "mu", "niemu", "nim", "ona", "jej", "niej", "ją", "nią", "ono", "my", "nas",
  "nam", "nami", "wy", "was", "wam", "wami", "oni", "one", "ich", "nich", "im", "nimi", "je",
  "siebie", "sobie", "sobą",
  -- possessives and demonstratives
  "mój", "moja", "moje", "moi", "mojego", "mojej", "swój", "swoja", "swoje", "swojego", "swojej",
  "nasz", "nasza", "nasze", "naszego", "naszej", "wasz", "wasza", "wasze", "ten", "ta", "to", "te",
  "tego", "tej", "tym", "tych", "temu", "tą", "tamten", "tamta", "tamto", "taki", "taka", "takie",
  -- question and relative words
  "kto", "kogo", "komu", "kim", "co", "czego", "czemu", "czym", "który", "która", "które",
  "którego", "której", "którym", "których", "gdzie", "jak", "jaki", "jaka", "jakie", "dlaczego",
  -- być and its forms
  "być", "jest", "są", "był", "była", "było", "byli", "były", "będzie", "będą", "jestem", "jesteś",
  "jesteśmy", "byłem", "byłam",
  -- adverbs
  "bardzo", "tu", "tam", "teraz", "wtedy", "może", "można", "trzeba", "więcej",
}
