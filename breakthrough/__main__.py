import sys

from breakthrough.cli import main

sys.exit(main())
