-- English stop words for `lexis freq --stop en` and lexis.count{stop = "en"}:
-- the function words (articles, pronouns, prepositions, conjunctions,
-- auxiliaries, common adverbs) that top every English word list and say
-- little about a text. Written for lexis; lower case, one entry per form.
return {
  -- articles and determiners
  "a", "an", "the", "this", "that", "these", "those", "some", "any", "no",
  "each", "every", "either", "neither", "all", "both", "few", "many", "much",
  "more", "most", "other", "another", "such", "own", "same", "several",
  -- personal, possessive and reflexive pronouns
  "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
  "you", "your", "yours", "yourself", "yourselves", "he", "him", "his",
  "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
  "them", "their", "theirs", "themselves", "one", "ones",
  -- question and relative words
  "who", "whom", "whose", "which", "what", "whatever", "whoever", "when",
  "where", "why", "how", "whether",
  -- prepositions
  "about", "above", "across", "after", "against", "along", "among", "around",
  "as", "at", "before", "behind", "below", "beneath", "beside", "between",
  "beyond", "by", "down", "during", "except", "for", "from", "in", "inside",
  "into", "like", "near", "of", "off", "on", "onto", "out", "outside", "over",
  "past", "since", "through", "throughout", "till", "to", "toward", "towards",
  "under", "until", "up", "upon", "via", "with", "within", "without",
  -- conjunctions
  "and", "but", "or", "nor", "so", "yet", "if", "than", "then", "because",
  "although", "though", "while", "unless", "whereas", "once",
  -- be, have, do, and the modals
  "be", "am", "is", "are", "was", "were", "been", "being",
  "have", "has", "had", "having", "do", "does", "did", "doing", "done",
  "can", "could", "may", "might", "must", "shall", "should", "will", "would",
  "ought",
  -- contractions, with the ASCII apostrophe
  "i'm", "i've", "i'd", "i'll", "you're", "you've", "you'd", "you'll",
  "he's", "he'd", "he'll", "she's", "she'd", "she'll", "it's", "we're",
  "we've", "we'd", "we'll", "they're", "they've", "they'd", "they'll",
  "that's", "there's", "here's", "what's", "who's", "let's",
  "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't",
  "doesn't", "don't", "didn't", "won't", "wouldn't", "shan't", "shouldn't",
  "can't", "cannot", "couldn't", "mustn't", "mightn't", "needn't",
  -- common adverbs and particles
  "not", "only", "also", "just", "very", "too", "again", "ever", "never",
  "here", "there", "now", "still", "even", "already", "always", "often",
  "perhaps", "quite", "rather", "thus", "therefore", "however", "indeed",
  "else", "further", "furthermore", "moreover", "instead", "otherwise",
  "almost", "yes",
}
