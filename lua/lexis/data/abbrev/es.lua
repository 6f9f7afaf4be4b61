-- Spanish abbreviations and sentence starters for the sentence splitter
-- (lexis.sentences). Kinds as in en.lua.
return {
  prefix = {
    "Sr", "Sra", "Srta", "Sres", "Srs", "Sras", "Dr", "Dra", "Drs", "Lic", "Licda", "Ing",
    "Arq", "Prof", "Profa", "Mtro", "Mtra", "D", "Dn", "Dña", "Sto", "Sta", "Fr", "Fray",
    "Gral", "Cnel", "Cap", "Tte", "Sgto", "Excmo", "Excma", "Ilmo", "Ilma", "Mons", "Pbro",
    "Ud", "Uds", "Vd", "Vds", "Sr.a", "p.ej", "cf", "cfr", "vid", "Av", "Avda", "Pza",
    "Pje", "Bo", "Col", "Del", "Dpto", "Depto", "aprox", "ca", "vs", "S.M", "SS.MM", "S.E",
  },
  number = {
    "núm", "nº", "no", "n", "p", "pág", "págs", "pp", "cap", "vol", "vols", "art", "arts",
    "fig", "tel", "tlf", "apdo", "ej", "párr", "t", "lib", "ed",
  },
  suffix = {
    "etc", "Cía", "cía", "Ltda", "Hnos", "Inc", "Ltd", "al", "hab", "km", "kg", "min",
    "seg", "hrs", "ss", "sigs",
  },
  other = {
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "sept", "set", "oct",
    "nov", "dic", "lun", "mié", "jue", "vie", "sáb", "dom", "a.C", "d.C", "a.m", "p.m",
    "admón", "esq", "gob", "prov", "s.f", "sig", "Univ", "izq", "dcha", "der", "adj", "adv",
    "ant", "aprox", "atte", "c.c", "dcho", "doc", "dto", "fdo", "gral", "ibíd", "íd",
    "lat", "máx", "mín", "obs", "pag", "pral", "pte", "sr", "tel", "trad", "ob", "cit",
  },
  starters = {
    "El", "La", "Los", "Las", "Un", "Una", "Unos", "Unas", "Lo", "Él", "Ella", "Ellos",
    "Ellas", "Yo", "Tú", "Nosotros", "Usted", "Ustedes", "Esto", "Este", "Esta", "Estos",
    "Estas", "Ese", "Esa", "Eso", "Aquel", "Pero", "Y", "O", "Sin", "Con", "En", "Por",
    "Para", "Desde", "Según", "Si", "Cuando", "Como", "Donde", "Qué", "Quién", "Cómo",
    "Cuándo", "Dónde", "Porque", "Aunque", "Luego", "Después", "Antes", "Entonces",
    "Además", "Hoy", "Ayer", "Mañana", "Su", "Sus", "Mi", "Mis", "Nuestro", "Nuestra",
    "Todo", "Todos", "Toda", "Todas", "Cada", "Ningún", "Ninguna", "Muchos", "Muchas",
    "Algunos", "Algunas", "No", "Sí", "También", "Tampoco", "Ahora", "Allí", "Aquí",
    "Así", "Se", "Le", "Les", "Al", "De", "Buenos", "Buenas", "Espero", "Hay",
  },
}
