"""`python -m sop.sample_data`: write generated sample extracts for one plan month."""

from sop.sample_data.cli import main

main()
