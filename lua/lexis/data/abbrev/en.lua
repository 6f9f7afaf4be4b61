-- English abbreviations and sentence starters for the sentence splitter
-- (lexis.sentences). Written for lexis; see docs/sentences.md for the kinds:
--   prefix:  stands before a name or term and never ends a sentence (Mr. Smith, e.g. this)
--   number:  stands before a number (No. 5, p. 55); before a capital it ends like a word
--   suffix:  follows what it qualifies (etc., Inc., Jr.); a capital after it starts a sentence
--   other:   either way; a sentence starts after it only if a starter word follows
--   starters: words capitalized mostly because a sentence begins with them
-- Entries are matched without regard to case, with or without the final period.
return {
  prefix = {
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mme", "Mlle", "Dr", "Drs", "Prof", "Profs", "Rev",
    "Revd", "Hon", "Rt", "Gen", "Gens", "Col", "Lt", "Capt", "Cmdr", "Comdr", "Adm", "Sgt",
    "Cpl", "Pvt", "Maj", "Brig", "Gov", "Sen", "Sens", "Rep", "Reps", "Pres", "Supt", "Insp",
    "Det", "Fr", "Msgr", "Amb", "Atty", "Ald", "Mt", "Mts", "Ft", "Pt", "St", "Ste",
    "e.g", "i.e", "cf", "viz", "vs", "v", "sq", "cu", "approx", "esp", "incl", "excl",
    "Dept", "Univ", "Assn", "Assoc", "Inst", "Natl", "Intl",
  },
  number = {
    "No", "Nos", "Nr", "p", "pp", "para", "paras", "ch", "chap", "chs", "sec", "secs",
    "fig", "figs", "vol", "vols", "art", "arts", "ca", "c", "op", "tel", "ph", "pt", "pts",
    "pl", "ex", "eq", "eqs", "ref", "refs", "col", "cols", "ln", "ll", "n", "nn", "ser",
    "pg", "pgs", "bk", "bks", "lib", "tab", "vs", "v", "ver", "rev",
  },
  suffix = {
    "etc", "Inc", "Ltd", "Co", "Corp", "Bros", "Jr", "Sr", "Esq", "Plc", "al", "Ave", "Blvd",
    "Rd", "Sq", "min", "mins", "hr", "hrs", "sec", "yr", "yrs", "mo", "mos", "wk", "wks",
    "oz", "lb", "lbs", "yd", "yds", "mi", "mph", "kg", "km", "cm", "mm", "ml", "qt", "gal",
    "ed", "eds", "trans", "repr", "pub", "publ",
  },
  other = {
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
    "a.m", "p.m", "est", "misc", "govt", "dept", "div", "ibid", "id", "cit", "loc", "seq",
    "sc", "ff", "var", "abbr", "adj", "adv", "anon", "assoc", "attrib", "b", "d", "fl",
    "fol", "fols", "illus", "lit", "ms", "mss", "orig", "pseud", "rpt", "sing", "pl", "syn",
    "Ariz", "Calif", "Colo", "Conn", "Fla", "Ky", "Md", "Mich", "Minn", "Mont", "Neb",
    "Nev", "Okla", "Penn", "Tenn", "Tex", "Wis", "Wyo", "Ph.D", "M.D", "B.A", "M.A",
    "B.Sc", "M.Sc", "Ed.D", "D.Phil", "LL.B", "LL.M", "Gov't", "Dist", "Mfg", "Mgmt", "Mkt",
  },
  starters = {
    "The", "A", "An", "This", "That", "These", "Those", "There", "Then", "Thus", "Therefore",
    "However", "Moreover", "Meanwhile", "Nevertheless", "Furthermore", "Also", "But", "And",
    "Or", "So", "Yet", "Still", "He", "She", "It", "We", "They", "You", "His", "Her", "Its",
    "Our", "Their", "My", "Your", "In", "On", "At", "For", "From", "By", "With", "Without",
    "After", "Before", "During", "Since", "While", "When", "Whenever", "Where", "Why", "How",
    "What", "Which", "Who", "Whom", "Whose", "If", "Although", "Though", "Because", "Unless",
    "Until", "As", "Once", "Some", "Many", "Most", "Several", "All", "Each", "Every", "Both",
    "Either", "Neither", "No", "None", "Not", "Nothing", "Such", "Here", "Now", "Today",
    "Yesterday", "Tomorrow", "Later", "Finally", "First", "Last", "Did", "Do", "Does", "Is",
    "Are", "Was", "Were", "Has", "Have", "Had", "Can", "Could", "Will", "Would", "Shall",
    "Should", "Might", "Must", "Let", "Please", "Being", "Having", "Another", "Other",
    "Instead", "Indeed", "Perhaps", "Maybe", "Of", "Only", "Even", "Just", "Yes", "Overall",
    "Hence", "Besides", "Otherwise", "Afterwards", "Consequently", "Accordingly", "Nor",
    "To", "Under", "Over", "Between", "Among", "Through", "Against", "Despite", "Upon",
    "Everyone", "Everybody", "Everything", "Someone", "Somebody", "Something", "Nobody",
    "Anyone", "Anybody", "Anything", "Nonetheless", "Sometimes", "Often", "Usually", "Soon",
    "Again", "Next", "Whoever", "Whatever", "Thank", "Thanks", "Unfortunately", "Fortunately",
    "Clearly", "Obviously", "Certainly", "Surely", "Recently", "Currently", "Initially",
    "Similarly", "Likewise", "Specifically", "Generally", "Normally", "Typically", "Only",
  },
}
