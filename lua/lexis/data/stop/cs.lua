-- Czech stop words for `lexis freq --stop cs` and lexis.count{stop = "cs"}:
-- the prepositions, conjunctions, particles, pronouns and forms of být
-- that top every Czech word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- prepositions
  "v", "ve", "na", "s", "se", "z", "ze", "k", "ke", "do", "od", "o", "u", "za", "po", "pro", "při",
  "pod", "nad", "před", "přes", "bez", "mezi",
  -- conjunctions
  "a", "i", "ale", "nebo", "anebo", "že", "aby", "když", "jestli", "jak", "protože", "proto",
  "však", "ani", "tak",
  -- particles
  "ne", "jen", "už", "ještě", "také", "též", "tedy", "totiž",
  -- pronouns
  "já", "mě", "mne", "mi", "mnou", "ty", "tě", "tebe", "ti", "tebou", "on", "jeho", "ho", "něho",
  "jemu", "mu", "němu", "něm", "jím", "ním", "ona", "jí", "ní", "ji", "ni", "ono", "my", "nás",
  "nám", "námi", "vy", "vás", "vám", "vámi", "oni", "ony", "je", "jich", "nich", "jim", "nim",
  "jimi", "nimi", "sebe", "sobě", "si", "sebou",
  -- possessives and demonstratives
  "můj", "moje", "má", "mého", "mé", "svůj", "svou", "své", "svého", "svém", "náš", "naše",
  "našeho", "váš", "vaše", "jejich", "ten", "ta", "to", "toho", "té", "tom", "tomu", "tím", "tu",
  "tento", "tato", "toto", "tyto", "takový", "taková", "takové",
  -- question and relative words
  "kdo", "koho", "komu", "kým", "co", "čeho", "čemu", "čím", "který", "která", "které", "kterého",
  "kterou", "kteří", "kde", "kam", "jaký", "jaká", "jaké", "proč",
  -- být and its forms
  "být", "jsou", "jsem", "jsi", "jsme", "jste", "byl", "byla", "bylo", "byli", "byly", "bude",
  "budou", "by", "bych",
  -- adverbs
  "velmi", "tady", "tam", "teď", "pak", "potom", "již", "více", "může", "lze",
}
