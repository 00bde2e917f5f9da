"""Demo and benchmark data: `seed_demo`, `seed_load` and what they write.

It imports the product apps, and nothing in them imports it, so the
production image can leave it out.
"""
