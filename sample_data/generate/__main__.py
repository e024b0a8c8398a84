"""``python -m sample_data.generate``: regenerate the sample initiatives (see the package doc)."""

from . import main

main()
