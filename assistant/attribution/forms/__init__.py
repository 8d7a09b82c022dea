"""One module per attribution form; each finds the relation a word opens, if any."""
