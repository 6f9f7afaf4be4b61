-- German abbreviations and sentence starters for the sentence splitter
-- (lexis.sentences). Kinds as in en.lua; ordinals: "3. Oktober" is a date,
-- so a number with a period ends a sentence only before a starter word.
return {
  ordinals = true,
  prefix = {
    "Hr", "Hrn", "Fr", "Frl", "Dr", "Prof", "Dipl", "Ing", "Dipl.-Ing", "Mag", "St", "Sr",
    "z.B", "vgl", "sog", "bzgl", "gem", "lt", "geb", "gest", "verh", "ggf", "evtl", "inkl",
    "exkl", "zzgl", "abzgl", "bzw", "d.h", "u.a", "v.a", "i.d.R", "u.U", "z.T", "z.Zt",
    "Hl", "hl", "Gebr", "Pfr", "Min", "Kard", "Bf", "Sen", "Abg", "ca", "rd", "ehem",
    "insb", "spez", "allg", "sog", "Univ", "Verf", "Vors", "s", "S.o", "s.u", "s.o",
  },
  number = {
    "Nr", "Nrn", "S", "Bd", "Bde", "Abs", "Art", "Kap", "Abb", "Tab", "Tel", "Fax", "Ziff",
    "Anm", "Aufl", "Hft", "Jg", "Jgg", "Lfg", "Sp", "Bl", "Fn", "Rn", "Rz", "Nrs",
  },
  suffix = {
    "usw", "u.s.w", "etc", "Hrsg", "hrsg", "Co", "Inc", "Ltd", "Str", "Jh", "Jhd", "Jhdt",
    "Tsd", "Mio", "Mrd", "Std", "Min", "Sek", "Pfd", "Ztr", "Stck", "Stk", "ff", "f",
    "m.E", "u.Ä", "o.Ä", "o.ä", "u.ä", "e.V", "a.D", "i.R", "n.Chr", "v.Chr",
  },
  other = {
    "Jan", "Feb", "Febr", "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Okt", "Nov",
    "Dez", "Mo", "Di", "Mi", "Do", "Sa", "So", "Ges", "Ver", "Verl", "Dt", "dt", "dgl",
    "eigtl", "engl", "frz", "franz", "lat", "griech", "ital", "span", "russ", "Jhs",
    "Anh", "Bsp", "bspw", "Erg", "erg", "Fa", "Forts", "gez", "i.A", "i.V", "Kfz",
    "led", "luth", "ev", "kath", "max", "min", "Mitgl", "mtl", "Pl", "Reg", "röm",
    "Sg", "sen", "jun", "Tsd", "urspr", "usf", "Verz", "vorm", "nachm", "Ztg", "zw",
  },
  starters = {
    "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einer", "Eines", "Er", "Sie",
    "Es", "Wir", "Ihr", "Ich", "Du", "Man", "Dies", "Diese", "Dieser", "Dieses", "Dann",
    "Danach", "Doch", "Aber", "Und", "Oder", "Auch", "Als", "Am", "Im", "In", "Auf", "An",
    "Bei", "Mit", "Nach", "Vor", "Seit", "Wenn", "Weil", "Da", "Dort", "Hier", "Heute",
    "Wie", "Was", "Wer", "Wo", "Warum", "Welche", "Welcher", "Jetzt", "Nun", "So", "Zudem",
    "Außerdem", "Allerdings", "Deshalb", "Daher", "Trotzdem", "Dennoch", "Zwar", "Noch",
    "Schon", "Viele", "Alle", "Jeder", "Jede", "Kein", "Keine", "Nicht", "Sein", "Seine",
    "Ihre", "Unser", "Unsere", "Mein", "Meine", "Zum", "Zur", "Vom", "Beim", "Für", "Um",
    "Ob", "Denn", "Damit", "Dabei", "Darauf", "Später", "Gestern", "Morgen", "Wir",
  },
}
