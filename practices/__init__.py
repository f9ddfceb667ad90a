"""The practice-wiki domain: models, vocabularies and services. Knows nothing of Flask."""
