"""One module per ``thermosat`` subcommand: ``add_arguments(parser)`` and ``run(args)``."""
