"""Adapters that run the same cleaning (`cleaner.pipeline.clean_record`) inside other engines.

Each imports its engine only when used: `cleaner.integrations.datatrove` needs the `datatrove`
extra, `cleaner.integrations.ray` the `ray` extra.
"""
