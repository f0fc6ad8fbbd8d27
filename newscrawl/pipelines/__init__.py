"""Item pipelines, in the order settings.ITEM_PIPELINES runs them: validate, dedupe, then store
(and link each article to its story)."""
