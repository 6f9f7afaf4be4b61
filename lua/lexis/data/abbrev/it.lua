-- Italian abbreviations and sentence starters for the sentence splitter
-- (lexis.sentences). Kinds as in en.lua.
return {
  prefix = {
    "Sig", "Sigg", "Sig.ra", "Sigra", "Sig.na", "Sig.ri", "Dott", "Dott.ssa", "Dr", "Prof",
    "Prof.ssa", "Ing", "Avv", "Arch", "Rag", "Geom", "On", "Mons", "Gen", "Col", "Cap",
    "Ten", "S", "Ss", "Spett", "Egr", "Gent", "Gent.mo", "Gent.ma", "Ill", "Ill.mo",
    "Chiar", "Chiar.mo", "cfr", "es", "p.es", "ad es", "v", "vd", "ca", "Sen", "Dir",
    "Mr", "Mrs", "c.a", "p.zza", "Pzza", "Fr", "Sr", "Sac",
  },
  number = {
    "n", "nr", "num", "p", "pag", "pagg", "pp", "vol", "voll", "cap", "capp", "art",
    "artt", "fig", "tab", "tel", "c", "co", "lett", "par", "cod",
  },
  suffix = {
    "ecc", "etc", "Inc", "Ltd", "al", "sgg", "segg", "ss", "km", "kg", "min", "ab",
  },
  other = {
    "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "sett", "ott", "nov",
    "dic", "lun", "mer", "gio", "ven", "sab", "dom", "a.C", "d.C", "sec", "seg", "max",
    "ca", "ecc", "fasc", "ibid", "id", "op", "cit", "ms", "mss", "trad", "ed", "edd",
    "lat", "gr", "ingl", "franc", "ted", "sp", "agg", "avv", "sost", "pron", "prep",
    "cong", "int", "rist", "sez", "ved", "vedi", "tav", "tavv", "dott", "prof", "univ",
  },
  starters = {
    "Il", "Lo", "La", "I", "Gli", "Le", "Un", "Uno", "Una", "Egli", "Ella", "Lui", "Lei",
    "Esso", "Essa", "Essi", "Noi", "Voi", "Io", "Tu", "Loro", "Questo", "Questa", "Questi",
    "Queste", "Quello", "Quella", "Ma", "E", "O", "Però", "Poi", "Quindi", "Allora",
    "Inoltre", "Tuttavia", "In", "Nel", "Nella", "Nei", "Negli", "Per", "Con", "Su", "Da",
    "Dal", "Dalla", "Se", "Quando", "Come", "Dove", "Perché", "Che", "Chi", "Cosa", "Oggi",
    "Ieri", "Domani", "Suo", "Sua", "Suoi", "Sue", "Mio", "Mia", "Nostro", "Nostra",
    "Tutto", "Tutti", "Tutta", "Tutte", "Ogni", "Molti", "Molte", "Alcuni", "Alcune",
    "Non", "Sì", "Anche", "Ora", "Adesso", "Qui", "Così", "Ci", "Si", "Al", "Di", "A",
  },
}
