-- Turkish stop words for `lexis freq --stop tr` and lexis.count{stop = "tr"}:
-- the pronouns, postpositions, conjunctions and particles that top
-- every Turkish word list (its suffixes make most forms words of their own; the
-- dotted and dotless i as Turkish writes them).
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- pronouns
  "ben", "beni", "bana", "bende", "benden", "benim", "sen", "seni", "sana", "sende", "senden",
  "senin", "o", "onu", "ona", "onda", "ondan", "onun", "biz", "bizi", "bize", "bizim", "siz",
  "sizi", "size", "sizin", "onlar", "onları", "onlara", "onların", "kendi", "kendisi", "kendini",
  "bu", "bunu", "buna", "bunun", "bunlar", "şu", "şunu", "şuna",
  -- question words
  "ne", "neden", "niye", "nasıl", "nerede", "nereye", "kim", "kimi", "hangi", "kaç", "mı", "mi",
  "mu", "mü",
  -- postpositions
  "ile", "için", "gibi", "kadar", "göre", "doğru", "karşı", "sonra", "önce", "beri", "dolayı",
  "üzere",
  -- conjunctions
  "ve", "veya", "ya", "yahut", "ama", "fakat", "ancak", "çünkü", "ki", "de", "da", "eğer", "hem",
  "ise", "yani",
  -- particles and adverbs
  "değil", "var", "yok", "daha", "çok", "en", "az", "her", "hiç", "bir", "biri", "şey", "olan",
  "olarak", "olup", "artık", "bile", "hep", "hemen", "sadece", "yalnız", "zaten",
}
