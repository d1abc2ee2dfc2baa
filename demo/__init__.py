"""Fictional data, and nothing else: `seed_demo` (the demo accounts and projects of development) and
`bench_data` (the benchmark dataset). The top floor: it seeds every app and no app imports it."""
