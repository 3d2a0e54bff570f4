"""Pure functions of the listening pipeline (no database): what a post says and who it is
for. `language` (detection), `sentiment` (the shipped model, and the optional transformer
backend), `entities` (people, organisations, products, places; spaCy as an extra),
`enrich` (all of them over a batch: the one code path of ingestion and `voliere nlp
classify`), `matching` (topic queries compiled once, run on every post)."""
