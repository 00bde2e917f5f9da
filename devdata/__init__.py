"""Demo and benchmark data: `seed_demo`, `seed_load` and what they write.

It imports the product apps, and nothing in them imports it
(tests/devdata/test_imports.py), so the production image leaves it out.
"""
