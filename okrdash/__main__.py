import sys

from okrdash.cli import main

sys.exit(main())
