"""Item pipelines, in the order settings.ITEM_PIPELINES runs them: validate, dedupe, store."""
