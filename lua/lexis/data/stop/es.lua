-- Spanish stop words for `lexis freq --stop es` and lexis.count{stop = "es"}:
-- the articles, pronouns, prepositions, conjunctions, auxiliaries and
-- adverbs that top every Spanish word list.
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and determiners
  "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "al", "del", "este", "esta", "estos",
  "estas", "ese", "esa", "esos", "esas", "aquel", "aquella", "aquellos", "aquellas", "mi", "mis",
  "tu", "tus", "su", "sus", "nuestro", "nuestra", "nuestros", "nuestras", "vuestro", "vuestra",
  "vuestros", "vuestras", "cada", "todo", "toda", "todos", "todas", "otro", "otra", "otros",
  "otras", "mismo", "misma", "mismos", "mismas", "algún", "alguna", "algunos", "algunas", "ningún",
  "ninguna", "cualquier", "tanto", "tanta", "tantos", "tantas",
  -- pronouns
  "yo", "me", "mí", "conmigo", "tú", "te", "ti", "contigo", "él", "ella", "ello", "nosotros",
  "nosotras", "vosotros", "vosotras", "ellos", "ellas", "le", "les", "se", "sí", "consigo", "usted",
  "ustedes", "que", "qué", "quien", "quién", "quienes", "cual", "cuál", "cuales", "cuyo", "cuya",
  "donde", "dónde", "como", "cómo", "cuando", "cuándo", "cuanto", "cuánto", "esto", "eso",
  "aquello",
  -- prepositions
  "a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre", "hacia", "hasta",
  "mediante", "para", "por", "según", "sin", "sobre", "tras",
  -- conjunctions
  "y", "e", "o", "u", "ni", "pero", "sino", "aunque", "porque", "pues", "si", "mientras",
  -- ser, estar, haber, tener
  "ser", "soy", "eres", "es", "somos", "sois", "son", "era", "eras", "éramos", "eran", "fue", "fui",
  "fueron", "sido", "sea", "sean", "será", "serán", "sería", "estar", "estoy", "estás", "está",
  "estamos", "están", "estaba", "estaban", "estado", "esté", "haber", "he", "has", "ha", "hemos",
  "han", "había", "habían", "habido", "hay", "haya", "hubo", "habrá", "tener", "tengo", "tiene",
  "tienen", "tenía",
  -- adverbs
  "no", "muy", "más", "menos", "ya", "también", "tampoco", "aquí", "allí", "ahí", "así", "solo",
  "sólo", "bien", "mal", "siempre", "nunca", "todavía", "aún", "entonces", "luego", "después",
  "antes",
}
