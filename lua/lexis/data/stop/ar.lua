-- Arabic stop words for `lexis freq --stop ar` and lexis.count{stop = "ar"}:
-- the prepositions, conjunctions, particles, pronouns and demonstratives
-- that top every Arabic word list, unvocalised (the tokenizer keeps a prefixed
-- و or ب with its word: وفي is one token, listed with the commonest of them).
-- Written for lexis from the grammar of the language (no other project's
-- list copied); MIT, as the rest of lexis. Lower case, one entry per form.
return {
  -- prepositions
  "في", "من", "إلى", "الى", "على", "عن", "مع", "بين", "عند", "حتى", "منذ", "خلال", "نحو", "حول",
  "دون", "لدى", "ضد",
  -- conjunctions and particles
  "و", "أو", "او", "ثم", "أم", "لكن", "بل", "إن", "ان", "أن", "إنّ", "أنّ", "كان", "كانت", "يكون",
  "لا", "لم", "لن", "ما", "قد", "لقد", "هل", "إذا", "اذا", "لو", "كي", "لأن", "لان", "إلا", "الا",
  "غير", "سوف",
  -- pronouns
  "أنا", "انا", "أنت", "انت", "أنتم", "هو", "هي", "نحن", "هم", "هن", "هما",
  -- demonstratives and relatives
  "هذا", "هذه", "ذلك", "تلك", "هؤلاء", "أولئك", "الذي", "التي", "الذين", "اللذان", "اللتان",
  "اللواتي", "اللاتي",
  -- common words with a prefix
  "وفي", "ومن", "وعلى", "وإلى", "وهو", "وهي", "وقد", "ولا", "ولم", "وما", "فقد", "فإن", "وأن",
  "وكان", "وكانت", "به", "بها", "بهم", "له", "لها", "لهم", "فيه", "فيها", "منه", "منها", "عليه",
  "عليها",
  -- adverbs and others
  "كل", "بعض", "أي", "اي", "أيضا", "ايضا", "هناك", "هنا", "حيث", "عندما", "كما", "بعد", "قبل",
  "فوق", "تحت",
}
