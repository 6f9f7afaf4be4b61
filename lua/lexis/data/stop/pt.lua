-- Portuguese stop words for `lexis freq --stop pt` and lexis.count{stop = "pt"}:
-- the articles and their contractions, pronouns, prepositions, conjunctions,
-- auxiliaries and adverbs that top every Portuguese word list (Portugal and Brazil).
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- articles and contractions
  "o", "a", "os", "as", "um", "uma", "uns", "umas", "ao", "aos", "à", "às", "do", "da", "dos",
  "das", "no", "na", "nos", "nas", "pelo", "pela", "pelos", "pelas", "dum", "duma", "num", "numa",
  "deste", "desta", "neste", "nesta", "disso", "nisso", "daquele", "daquela", "naquele", "naquela",
  -- determiners
  "este", "esta", "estes", "estas", "esse", "essa", "esses", "essas", "aquele", "aquela", "aqueles",
  "aquelas", "isto", "isso", "aquilo", "meu", "minha", "meus", "minhas", "teu", "tua", "teus",
  "tuas", "seu", "sua", "seus", "suas", "nosso", "nossa", "nossos", "nossas", "cada", "todo",
  "toda", "todos", "todas", "outro", "outra", "outros", "outras", "mesmo", "mesma", "mesmos",
  "mesmas", "algum", "alguma", "alguns", "algumas", "nenhum", "nenhuma",
  -- pronouns
  "eu", "me", "mim", "comigo", "tu", "te", "ti", "você", "vocês", "ele", "ela", "eles", "elas",
  "lhe", "lhes", "se", "si", "nós", "conosco", "vós", "que", "quem", "qual", "quais", "cujo",
  "cuja", "onde", "como", "quando", "quanto",
  -- prepositions
  "de", "em", "para", "por", "com", "sem", "sobre", "sob", "entre", "até", "desde", "contra",
  "após", "perante",
  -- conjunctions
  "e", "ou", "mas", "nem", "porque", "pois", "embora", "porém", "logo",
  -- ser, estar, ter, haver
  "ser", "sou", "é", "somos", "são", "era", "eram", "foi", "fui", "foram", "sido", "seja", "sejam",
  "será", "seria", "estar", "estou", "está", "estamos", "estão", "estava", "estavam", "esteve",
  "ter", "tenho", "tem", "temos", "têm", "tinha", "tinham", "teve", "tido", "haver", "há", "havia",
  "houve",
  -- adverbs
  "não", "sim", "muito", "mais", "menos", "já", "também", "ainda", "aqui", "ali", "lá", "assim",
  "só", "apenas", "bem", "sempre", "nunca", "então", "depois", "antes",
}
