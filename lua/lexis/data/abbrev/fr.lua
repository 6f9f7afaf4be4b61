-- French abbreviations and sentence starters for the sentence splitter
-- (lexis.sentences). Kinds as in en.lua.
return {
  prefix = {
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mes", "Mgr", "Dr", "Pr", "St", "Ste",
    "Sts", "Stes", "Vve", "cf", "p.ex", "c.-à-d", "c.à.d", "av", "apr", "env", "boul", "bd",
    "Gal", "Cdt", "Lt", "Col", "Cne", "Pdt", "Prés", "S.E", "S.M", "LL.MM", "R.P", "vs",
    "dir", "gouv", "sr",
  },
  number = {
    "n", "no", "nos", "p", "pp", "vol", "chap", "art", "fig", "t", "tél", "éd", "ch",
    "sect", "paragr", "al", "ann", "réf", "pl", "liv",
  },
  suffix = {
    "etc", "Cie", "cie", "Inc", "Ltd", "coll", "Ets", "Sté", "hab", "km", "kg", "min",
    "h", "sq", "sqq", "suiv",
  },
  other = {
    "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "lun", "mar", "mer",
    "jeu", "ven", "sam", "dim", "ibid", "id", "op", "cit", "loc", "adj", "adv", "dép",
    "éds", "fasc", "ms", "mss", "anc", "angl", "lat", "gr", "all", "esp", "ital", "fr",
    "env", "max", "mn", "s", "ss", "v", "vv", "apr. J.-C", "av. J.-C", "J.-C", "J-C",
    "Jr", "bibl", "dict", "encycl", "éq", "gén", "hist", "intr", "introd", "litt",
    "mus", "pharm", "philos", "pol", "prov", "pop", "publ", "trad", "univ", "zool",
  },
  starters = {
    "Le", "La", "Les", "L'", "Un", "Une", "Des", "Du", "Il", "Elle", "Ils", "Elles", "On",
    "Nous", "Vous", "Je", "Tu", "Ce", "Cette", "Ces", "Cet", "Mais", "Et", "Ou", "Donc",
    "Or", "Ni", "Car", "Puis", "Ensuite", "Alors", "Cependant", "Pourtant", "Toutefois",
    "En", "Dans", "Au", "Aux", "Pour", "Par", "Sur", "Avec", "Sans", "Selon", "Si", "Quand",
    "Lorsque", "Comme", "Depuis", "Après", "Avant", "Pendant", "Qui", "Que", "Où",
    "Comment", "Pourquoi", "Voici", "Voilà", "Aujourd'hui", "Hier", "Demain", "Leur",
    "Leurs", "Son", "Sa", "Ses", "Mon", "Ma", "Mes", "Notre", "Nos", "Votre", "Vos", "Tout",
    "Tous", "Toute", "Toutes", "Chaque", "Plusieurs", "Aucun", "Aucune", "Certains",
    "Enfin", "Ainsi", "De", "Oui", "Non", "Ici", "Là", "Parce", "Malgré",
  },
}
