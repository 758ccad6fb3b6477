"""Data files of the matcher (thesaurus, user dictionary, stop words, KSIC names); a package so it ships."""
